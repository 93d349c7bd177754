using System.Text;

namespace Sockit.Cli.Commands.Remote;

/// <summary>
/// Turns one output stream's bytes from the remote encoding into the local one, chunk by chunk. A character whose bytes
/// are split between two chunks is held back until the rest of it comes, so it is not garbled.
/// </summary>
internal sealed class OutputTranscoder
{
    private readonly Decoder _decoder;
    private readonly Encoder _encoder;
    private char[] _chars = [];
    private byte[] _bytes = [];

    public OutputTranscoder(Encoding from, Encoding to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        _decoder = from.GetDecoder();
        _encoder = to.GetEncoder();
    }

    /// <summary>
    /// The bytes of <paramref name="input"/> in the local encoding, valid until the next call. With
    /// <paramref name="last"/>, what was held back comes out too (an incomplete character as U+FFFD).
    /// </summary>
    public ReadOnlyMemory<byte> Convert(ReadOnlySpan<byte> input, bool last)
    {
        Grow(ref _chars, _decoder.GetCharCount(input, last));
        int chars = _decoder.GetChars(input, _chars, last);
        var text = _chars.AsSpan(0, chars);
        Grow(ref _bytes, _encoder.GetByteCount(text, last));
        int bytes = _encoder.GetBytes(text, _bytes, last);
        return _bytes.AsMemory(0, bytes);
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
