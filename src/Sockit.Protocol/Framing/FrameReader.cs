using System.Runtime.CompilerServices;
using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Framing;

/// <summary>
/// Reads frames from a <see cref="PipeReader"/>: heads first, then each body as it arrives. One reader per
/// connection, used by one task at a time.
/// </summary>
/// <remarks>
/// The reader keeps the pipe's buffer between calls and advances it only when it needs more bytes, so every
/// frame already received is parsed without another read. Anything it hands out that points into that
/// buffer (<see cref="FrameHead.Header"/>, a body chunk) stays valid until the next call on this reader.
/// End of stream between frames is a clean end; inside a frame it is <see cref="SockitErrorCode.TruncatedFrame"/>.
/// </remarks>
public sealed partial class FrameReader : IDisposable
{
    private readonly PipeReader _input;
    private readonly FrameReaderOptions _options;
    private volatile bool _stopRequested;
    private CancellationTokenSource _timeout = new();
    private ReadOnlySequence<byte> _buffer;
    private bool _holdingBuffer;
    private bool _inputCompleted;
    private long _bodyRemaining;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    public FrameReader(PipeReader input, FrameReaderOptions? options = null)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _options = options ?? new FrameReaderOptions();
        IdleTimeout = _options.IdleTimeout;
        _options.Deadlines?.Register(this);
    }

    /// <summary>
    /// How long a wait for the next frame (or more of a body) may last; starts as <see cref="FrameReaderOptions.IdleTimeout"/>.
    /// A server shortens it for a connection that must do something soon (log in), and restores it afterwards.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>Body bytes of the current frame not yet read.</summary>
    public long BodyRemaining => _bodyRemaining;

    /// <summary>Whether the reader holds received bytes that belong to no frame read yet.</summary>
    public bool HasBufferedBytes => _holdingBuffer && !_buffer.IsEmpty;

    /// <summary>
    /// Reads the next frame head. Any unread body of the previous frame is skipped first.
    /// </summary>
    /// <returns>The head, or <see langword="null"/> when the peer closed cleanly between frames.</returns>
    /// <exception cref="SockitProtocolException">The bytes are not a valid frame, or the stream ended inside one.</exception>
    /// <exception cref="SockitTimeoutException">The idle or header timeout passed.</exception>
    // The reader's async methods suspend once per frame on a connection that waits for its next request;
    // pooled builders reuse their state machines instead of allocating one per suspension.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameHead?> ReadHeadAsync(CancellationToken cancellationToken = default)
    {
        if (_bodyRemaining > 0)
        {
            await SkipBodyAsync(cancellationToken).ConfigureAwait(false);
        }

        // The header timeout bounds the whole head, not each read: a peer sending one byte just before every
        // timeout must not hold the connection open forever. It runs from the first wait on a partial head.
        long headStarted = 0;
        while (true)
        {
            if (_holdingBuffer)
            {
                var buffer = _buffer;
                if (FrameParser.TryParseHead(ref buffer, _options.Limits, _options.Names, out var head))
                {
                    _buffer = buffer;
                    _bodyRemaining = head.DataSize;
                    return head;
                }

                if (_inputCompleted)
                {
                    if (_buffer.IsEmpty)
                    {
                        return null;
                    }

                    throw Truncated($"the stream ended after {_buffer.Length} bytes of a frame head");
                }
            }

            if (_stopRequested)
            {
                throw new OperationCanceledException("the reader was asked to stop at the next frame boundary");
            }

            bool idle = !_holdingBuffer || _buffer.IsEmpty;
            if (idle)
            {
                await FillAsync(IdleTimeout, SockitErrorCode.IdleTimeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                headStarted = headStarted == 0 ? Stopwatch.GetTimestamp() : headStarted;
                await FillAsync(RemainingHeaderTime(headStarted), SockitErrorCode.HeaderTimeout, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Parses the next frame head only if it has already arrived, without waiting. Returns
    /// <see langword="false"/> when more bytes are needed (or the previous body has not fully arrived); a
    /// server flushes its replies then and calls <see cref="ReadHeadAsync"/>.
    /// </summary>
    /// <exception cref="SockitProtocolException">The buffered bytes are not a valid frame.</exception>
    public bool TryReadHead(out FrameHead head)
    {
        head = default;
        if (!_holdingBuffer)
        {
            return false;
        }

        if (_bodyRemaining > 0)
        {
            if (_buffer.Length < _bodyRemaining)
            {
                return false;
            }

            _buffer = _buffer.Slice(_bodyRemaining);
            _bodyRemaining = 0;
        }

        var buffer = _buffer;
        if (!FrameParser.TryParseHead(ref buffer, _options.Limits, _options.Names, out head))
        {
            return false;
        }

        _buffer = buffer;
        _bodyRemaining = head.DataSize;
        return true;
    }

    /// <summary>
    /// Asks the reader to stop at the next frame boundary, from any thread: a waiting or later
    /// <see cref="ReadHeadAsync"/> throws <see cref="OperationCanceledException"/> once no complete head is
    /// buffered, while the body of the frame in progress can still be read to its end. A server calls this
    /// when it shuts down; unlike a cancellation token per read, it costs nothing until it is used.
    /// </summary>
    public void StopAtFrameBoundary()
    {
        _stopRequested = true;
        _input.CancelPendingRead();
    }

    /// <summary>Releases the buffer held from the pipe.</summary>
    public void Dispose()
    {
        if (_holdingBuffer)
        {
            _holdingBuffer = false;
            _input.AdvanceTo(_buffer.Start);
        }

        _options.Deadlines?.Unregister(this);
        _timeout.Dispose();
    }

    private TimeSpan RemainingHeaderTime(long headStarted)
    {
        if (_options.HeaderTimeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var remaining = _options.HeaderTimeout - Stopwatch.GetElapsedTime(headStarted);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(TimeSpan timeout, SockitErrorCode timeoutCode, CancellationToken cancellationToken)
    {
        if (_holdingBuffer)
        {
            _holdingBuffer = false;
            _input.AdvanceTo(_buffer.Start, _buffer.End);
        }

        if (_inputCompleted)
        {
            // The pipe said it is finished and everything left was examined: nothing more can come.
            throw Truncated("the stream ended inside a frame");
        }

        var result = timeout == Timeout.InfiniteTimeSpan
            ? await _input.ReadAsync(cancellationToken).ConfigureAwait(false)
            : _options.Deadlines is not null
                ? await ReadWithDeadlineAsync(timeout, timeoutCode, cancellationToken).ConfigureAwait(false)
                : await ReadWithTimeoutAsync(timeout, timeoutCode, cancellationToken).ConfigureAwait(false);

        if (result.IsCanceled && !_stopRequested)
        {
            _input.AdvanceTo(result.Buffer.Start);
            throw new OperationCanceledException("the read was cancelled");
        }

        // Woken by StopAtFrameBoundary: keep what arrived. A head read notices the request before it
        // waits again; a body read simply waits again, so the frame in progress can finish.

        _buffer = result.Buffer;
        _holdingBuffer = true;
        _inputCompleted = result.IsCompleted;
    }

    private static SockitProtocolException Truncated(string message) =>
        new(SockitErrorCode.TruncatedFrame, message);
}
