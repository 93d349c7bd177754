using System.Buffers;
using System.Buffers.Binary;
using Sockit.Protocol.Framing;

namespace Sockit.Benchmarks;

/// <summary>The baseline's whole protocol: a little-endian int32 length, then that many opaque bytes.</summary>
internal static class RawFrames
{
    /// <summary>Slices one length-prefixed payload off the front of <paramref name="buffer"/>.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < FrameParser.PrefixLength)
        {
            return false;
        }

        int length;
        if (buffer.FirstSpan.Length >= FrameParser.PrefixLength)
        {
            length = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[FrameParser.PrefixLength];
            buffer.Slice(0, FrameParser.PrefixLength).CopyTo(prefix);
            length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        }

        if (length < 0 || buffer.Length - FrameParser.PrefixLength < length)
        {
            return false;
        }

        payload = buffer.Slice(FrameParser.PrefixLength, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }
}
