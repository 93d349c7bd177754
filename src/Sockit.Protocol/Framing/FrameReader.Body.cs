using System.Runtime.CompilerServices;
using System.Buffers;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Framing;

public sealed partial class FrameReader
{
    /// <summary>
    /// Returns the whole remaining body without copying when it has already arrived.
    /// The sequence is valid until the next call on this reader.
    /// </summary>
    public bool TryReadBufferedBody(out ReadOnlySequence<byte> body)
    {
        if (_bodyRemaining == 0)
        {
            body = ReadOnlySequence<byte>.Empty;
            return true;
        }

        if (!_holdingBuffer || _buffer.Length < _bodyRemaining)
        {
            body = default;
            return false;
        }

        body = _buffer.Slice(0, _bodyRemaining);
        _buffer = _buffer.Slice(body.End);
        _bodyRemaining = 0;
        return true;
    }

    /// <summary>
    /// Returns the next piece of the current body as soon as any of it is available, without copying.
    /// The piece is valid until the next call on this reader; an empty piece means the body is finished.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadBodyChunkAsync(CancellationToken cancellationToken = default)
    {
        if (_bodyRemaining == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        // A fill can come back empty when a stop request woke it; the body carries on regardless.
        while (!_holdingBuffer || _buffer.IsEmpty)
        {
            if (_holdingBuffer && _inputCompleted)
            {
                throw Truncated($"the stream ended with {_bodyRemaining} body bytes still to come");
            }

            await FillAsync(IdleTimeout, SockitErrorCode.IdleTimeout, cancellationToken).ConfigureAwait(false);
        }

        var chunk = _buffer.Slice(0, Math.Min(_buffer.Length, _bodyRemaining));
        _buffer = _buffer.Slice(chunk.End);
        _bodyRemaining -= chunk.Length;
        return chunk;
    }

    /// <summary>Copies body bytes into <paramref name="destination"/>; returns 0 when the body is finished.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_bodyRemaining == 0 || destination.IsEmpty)
        {
            return 0;
        }

        // A fill can come back empty when a stop request woke it; the body carries on regardless.
        while (!_holdingBuffer || _buffer.IsEmpty)
        {
            if (_holdingBuffer && _inputCompleted)
            {
                throw Truncated($"the stream ended with {_bodyRemaining} body bytes still to come");
            }

            await FillAsync(IdleTimeout, SockitErrorCode.IdleTimeout, cancellationToken).ConfigureAwait(false);
        }

        int count = (int)Math.Min(Math.Min(_buffer.Length, _bodyRemaining), destination.Length);
        _buffer.Slice(0, count).CopyTo(destination.Span);
        _buffer = _buffer.Slice(count);
        _bodyRemaining -= count;
        return count;
    }

    /// <summary>
    /// Reads the whole remaining body into a new array. Checks <paramref name="maxLength"/> before allocating:
    /// only small bodies should be materialised.
    /// </summary>
    /// <exception cref="SockitProtocolException">The body is larger than <paramref name="maxLength"/>.</exception>
    public async ValueTask<byte[]> ReadBodyAsArrayAsync(long maxLength, CancellationToken cancellationToken = default)
    {
        if (_bodyRemaining > maxLength)
        {
            throw new SockitProtocolException(
                SockitErrorCode.BodyTooLarge, $"body of {_bodyRemaining} bytes exceeds the limit of {maxLength} bytes");
        }

        var body = new byte[_bodyRemaining];
        int filled = 0;
        while (filled < body.Length)
        {
            filled += await ReadBodyAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
        }

        return body;
    }

    /// <summary>Discards the rest of the current body.</summary>
    public async ValueTask SkipBodyAsync(CancellationToken cancellationToken = default)
    {
        while (_bodyRemaining > 0)
        {
            await ReadBodyChunkAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Wraps the rest of the current body in a read-only <see cref="Stream"/> that ends where the body ends.
    /// The stream is valid until the next head is read.
    /// </summary>
    public Stream OpenBodyStream() => new BodyStream(ReadBodyAsync);
}
