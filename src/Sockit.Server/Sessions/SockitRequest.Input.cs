using System.Buffers;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Sessions;

/// <summary>
/// The input that follows a request in <c>input</c> frames. The client may send up to the input window before the
/// server grants more, so at most one window per request is ever held here.
/// </summary>
public sealed partial class SockitRequest
{
    // Small input frames are packed into blocks of this size: a window's worth of one-byte frames must cost a window of
    // memory, not a rented array and a queue entry per byte.
    private const int InputBlockLength = 4096;

    // The server's input window, which the client was told in hello; and this request's, which an operation may widen.
    private readonly int _defaultInputWindow;
    private int _inputWindow;
    private Queue<InputBlock>? _input;
    private InputBlock? _inputTail;
    private long _inputAllowed;
    private long _inputReceived;
    private long _inputConsumedUngranted;

    // Input received and not yet read, and how much of it the waiting read needs before the loop wakes it.
    private long _inputBuffered;
    private int _inputWaitLength = 1;
    private bool _inputEnded;
    private TaskCompletionSource? _inputWaiter;

    /// <summary>
    /// Reads input sent after the request into <paramref name="destination"/>, waiting for it; 0 once the client has
    /// sent <c>end</c> (or half-closed the connection) and everything before it was read.
    /// </summary>
    /// <exception cref="OperationCanceledException">The request was aborted, or <paramref name="cancellationToken"/> fired.</exception>
    public ValueTask<int> ReadInputAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        ReadInputCoreAsync(destination, 1, cancellationToken);

    /// <summary>
    /// Reads input like <see cref="ReadInputAsync(Memory{byte}, CancellationToken)"/>, but waits until at least
    /// <paramref name="minimumLength"/> bytes (or all of <paramref name="destination"/>) have arrived, so an operation that
    /// takes input in large pieces is woken once per piece rather than once per received chunk. It returns less only at
    /// the end of the input. The wait is capped at a quarter of the request's input window, which the client can always
    /// send without a further grant, so it never waits for bytes the client is not allowed to send.
    /// </summary>
    /// <exception cref="OperationCanceledException">The request was aborted, or <paramref name="cancellationToken"/> fired.</exception>
    public ValueTask<int> ReadInputAtLeastAsync(Memory<byte> destination, int minimumLength, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumLength);
        return ReadInputCoreAsync(destination, minimumLength, cancellationToken);
    }

    private async ValueTask<int> ReadInputCoreAsync(Memory<byte> destination, int minimumLength, CancellationToken cancellationToken)
    {
        ReleaseHeldBody();
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            Task wait;
            int count = 0;
            long grant = 0;
            lock (_lock)
            {
                // Less than wanted has arrived: the loop wakes this read once enough has (or the input ends).
                int wanted = Math.Min(Math.Min(minimumLength, destination.Length), Math.Max(1, _inputWindow / 4));
                if (_inputBuffered >= wanted || _inputEnded || _abortReason != AbortReason.None)
                {
                    count = TakeInput(destination.Span);
                    if (count > 0)
                    {
                        _inputConsumedUngranted += count;
                        if (!_inputEnded && _inputConsumedUngranted >= _inputWindow / 2)
                        {
                            grant = _inputConsumedUngranted;
                            _inputConsumedUngranted = 0;
                            _inputAllowed += grant;
                        }
                    }
                    else if (_abortReason != AbortReason.None)
                    {
                        throw new OperationCanceledException("the request was aborted", Aborted);
                    }
                    else
                    {
                        return 0;
                    }
                }
                else
                {
                    _inputWaitLength = wanted;
                    _inputWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wait = _inputWaiter?.Task ?? Task.CompletedTask;
            }

            if (count > 0)
            {
                if (grant > 0)
                {
                    await SendWindowAsync(grant).ConfigureAwait(false);
                }

                return count;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies buffered input into <paramref name="destination"/>; call under the lock.</summary>
    private int TakeInput(Span<byte> destination)
    {
        int count = 0;
        while (_input is { Count: > 0 } && count < destination.Length)
        {
            var block = _input.Peek();
            count += block.Take(destination[count..]);
            if (!block.IsEmpty)
            {
                continue;
            }

            if (ReferenceEquals(block, _inputTail))
            {
                // Drained, but the loop appends here next: keep it.
                break;
            }

            _input.Dequeue();
            block.Return();
        }

        _inputBuffered -= count;
        return count;
    }

    /// <summary>
    /// Lets the client have up to <paramref name="window"/> bytes of input on its way instead of the server's input
    /// window, and grants the difference at once. For an operation that takes its input as fast as it arrives (an
    /// upload writes it out): the server then holds up to that much for this request, and grants less often (every half
    /// window). A window no larger than the current one changes nothing.
    /// </summary>
    /// <param name="window">The request's new input window, in bytes.</param>
    public async ValueTask WidenInputWindowAsync(int window)
    {
        long grant;
        lock (_lock)
        {
            if (window <= _inputWindow || _inputEnded || _abortReason != AbortReason.None)
            {
                return;
            }

            grant = window - _inputWindow;
            _inputWindow = window;
            _inputAllowed += grant;
        }

        await SendWindowAsync(grant).ConfigureAwait(false);
    }

    /// <summary>The request's input window now: the server's, or wider once an operation has widened it.</summary>
    internal int InputWindow
    {
        get
        {
            lock (_lock)
            {
                return _inputWindow;
            }
        }
    }

    /// <summary>How many buffers the request's unread input takes (for tests of what a flood of tiny frames costs).</summary>
    internal int InputBlockCount
    {
        get
        {
            lock (_lock)
            {
                return _input?.Count ?? 0;
            }
        }
    }

    /// <summary>The input as a read-only stream (see <see cref="ReadInputAsync"/>).</summary>
    public Stream OpenInputStream() => new BodyStream(ReadInputAsync);

    /// <summary>
    /// Takes an <c>input</c> frame's body off the connection into this request's buffer.
    /// </summary>
    /// <exception cref="SockitProtocolException"><c>flow_control</c>: more than the client was granted.</exception>
    internal async ValueTask AcceptInputAsync(FrameReader reader, long length)
    {
        bool discard;
        lock (_lock)
        {
            // The client's credit: the hello's window, plus every grant (a widened window's extra was granted too).
            if (_inputReceived + length > _defaultInputWindow + _inputAllowed)
            {
                throw new SockitProtocolException(
                    SockitErrorCode.FlowControl,
                    $"input for request {Id} went past its window: {_inputReceived + length - _inputAllowed} bytes sent, {_defaultInputWindow} allowed",
                    null,
                    Id);
            }

            _inputReceived += length;
            discard = _inputEnded;
        }

        while (reader.BodyRemaining > 0)
        {
            var chunk = await reader.ReadBodyChunkAsync().ConfigureAwait(false);
            if (discard)
            {
                continue;
            }

            TaskCompletionSource? waiter;
            lock (_lock)
            {
                if (_inputEnded)
                {
                    discard = true;
                    continue;
                }

                AppendInput(chunk);
                _inputBuffered += chunk.Length;
                waiter = null;
                if (_inputBuffered >= _inputWaitLength)
                {
                    waiter = _inputWaiter;
                    _inputWaiter = null;
                }
            }

            waiter?.TrySetResult();
        }
    }

    /// <summary>Copies a chunk into the tail block while it has room, then into new blocks; call under the lock.</summary>
    private void AppendInput(ReadOnlySequence<byte> chunk)
    {
        _input ??= new Queue<InputBlock>();
        while (!chunk.IsEmpty)
        {
            if (_inputTail is null || _inputTail.IsFull)
            {
                _inputTail = new InputBlock((int)Math.Max(InputBlockLength, Math.Min(chunk.Length, _inputWindow)));
                _input.Enqueue(_inputTail);
            }

            chunk = chunk.Slice(_inputTail.Append(chunk));
        }
    }

    /// <summary>Marks the end of the input: <c>end</c>, a half-closed connection, or an abort.</summary>
    internal void EndInput()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _inputEnded = true;
            waiter = _inputWaiter;
            _inputWaiter = null;
        }

        waiter?.TrySetResult();
    }

    private void DiscardInput()
    {
        lock (_lock)
        {
            _inputEnded = true;
            _inputBuffered = 0;
            while (_input is { Count: > 0 })
            {
                _input.Dequeue().Return();
            }

            _inputTail = null;
        }
    }

    private async ValueTask SendWindowAsync(long credit)
    {
        var output = Session.Output;
        await output.EnterAsync().ConfigureAwait(false);
        try
        {
            FrameWriter.WriteHeader(
                output.Writer,
                new ControlFrame { Kind = "window", Id = Id ?? 0, Credit = credit },
                SockitJsonContext.Default.ControlFrame);
            await output.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            output.Exit();
        }
    }
}
