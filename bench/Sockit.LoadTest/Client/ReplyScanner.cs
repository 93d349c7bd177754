using System.Buffers;
using System.Buffers.Binary;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.LoadTest.Client;

/// <summary>
/// Counts replies in the bytes a connection receives, parsing only what it must: the head (with the
/// protocol's own <see cref="FrameParser"/>) to learn <c>data_size</c> and check the reply, then skipping the
/// body without copying it, across as many receives as it spans.
/// </summary>
public sealed class ReplyScanner
{
    private static readonly FrameLimits Limits = new(16 * 1024, 1L << 32);

    private readonly bool _wrapped;
    private readonly bool _framed;
    private readonly long _size;
    private long _bodyRemaining;
    private bool _inBody;
    private bool _countBody;

    public ReplyScanner(bool wrapped, bool framed, long size)
    {
        _wrapped = wrapped;
        _framed = framed;
        _size = size;
        ExpectHello = framed;
    }

    /// <summary>Whether the server's hello is still to come (framed servers speak first).</summary>
    public bool ExpectHello { get; private set; }

    /// <summary>The most bytes a head may need at once, so the receive buffer keeps room for one.</summary>
    public static int MaxHeadBytes => (2 * FrameParser.PrefixLength) + Limits.MaxHeaderLength;

    /// <summary>
    /// Consumes the complete frames and body bytes in <c>buffer[start..end)</c>, advancing
    /// <paramref name="start"/>; a partial head is left for the next call.
    /// </summary>
    /// <returns>How many echo replies were completed.</returns>
    /// <exception cref="InvalidDataException">A reply is not the echo that was asked for.</exception>
    public int Consume(byte[] buffer, ref int start, int end)
    {
        int completed = 0;
        while (true)
        {
            if (_inBody)
            {
                int take = (int)Math.Min(_bodyRemaining, end - start);
                start += take;
                _bodyRemaining -= take;
                if (_bodyRemaining > 0)
                {
                    return completed;
                }

                _inBody = false;
                if (_countBody)
                {
                    completed++;
                }

                continue;
            }

            int skip = _wrapped ? FrameParser.PrefixLength : 0;
            int available = end - start - skip;
            if (available < FrameParser.PrefixLength)
            {
                return completed;
            }

            var head = new ReadOnlySequence<byte>(buffer, start + skip, available);
            if (!FrameParser.TryParseHead(ref head, Limits, out var parsed))
            {
                return completed;
            }

            int headLength = available - (int)head.Length;
            Check(buffer, start, headLength, parsed);
            start += skip + headLength;
            _bodyRemaining = parsed.DataSize;
            _inBody = true;
        }
    }

    private void Check(byte[] buffer, int start, int headLength, FrameHead head)
    {
        if (ExpectHello)
        {
            if (head.Op != Ops.Hello)
            {
                throw new InvalidDataException($"the server's first frame is not a hello: {Text(head)}");
            }

            ExpectHello = false;
            _countBody = false;
            return;
        }

        _countBody = true;
        if (head.DataSize != _size)
        {
            throw new InvalidDataException($"expected an echo of {_size} bytes, got: {Text(head)}");
        }

        if (_framed && head.Header.FirstSpan.IndexOf("\"ok\":true"u8) < 0)
        {
            throw new InvalidDataException($"the server refused the echo: {Text(head)}");
        }

        if (_wrapped && BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start)) != headLength + head.DataSize)
        {
            throw new InvalidDataException("the raw server's length prefix does not match the frame it wraps");
        }
    }

    private static string Text(FrameHead head) => System.Text.Encoding.UTF8.GetString(head.Header.ToArray());
}
