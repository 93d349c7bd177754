using System.Buffers;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Server.Sessions;

/// <summary>
/// The input that follows a request in <c>input</c> frames. The client may send up to the input window before the
/// server grants more, so at most one window per request is ever held here.
/// </summary>
public sealed partial class SockitRequest
{
    private readonly int _inputWindow;
    private Queue<ArraySegment<byte>>? _input;
    private int _inputHeadOffset;
    private long _inputAllowed;
    private long _inputReceived;
    private long _inputConsumedUngranted;
    private bool _inputEnded;
    private TaskCompletionSource? _inputWaiter;

    /// <summary>
    /// Reads input sent after the request into <paramref name="destination"/>, waiting for it; 0 once the client has
    /// sent <c>end</c> (or half-closed the connection) and everything before it was read.
    /// </summary>
    /// <exception cref="OperationCanceledException">The request was aborted, or <paramref name="cancellationToken"/> fired.</exception>
    public async ValueTask<int> ReadInputAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
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
                while (_input is { Count: > 0 } && count < destination.Length)
                {
                    var segment = _input.Peek();
                    int take = Math.Min(segment.Count - _inputHeadOffset, destination.Length - count);
                    segment.AsSpan(_inputHeadOffset, take).CopyTo(destination.Span[count..]);
                    count += take;
                    _inputHeadOffset += take;
                    if (_inputHeadOffset == segment.Count)
                    {
                        _input.Dequeue();
                        _inputHeadOffset = 0;
                        ArrayPool<byte>.Shared.Return(segment.Array!);
                    }
                }

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
                else if (_inputEnded)
                {
                    return 0;
                }

                if (count == 0)
                {
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
            if (_inputReceived + length > _inputWindow + _inputAllowed)
            {
                throw new SockitProtocolException(
                    SockitErrorCode.FlowControl,
                    $"input for request {Id} went past its window: {_inputReceived + length - _inputAllowed} bytes sent, {_inputWindow} allowed",
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

            var copy = ArrayPool<byte>.Shared.Rent((int)chunk.Length);
            chunk.CopyTo(copy);
            TaskCompletionSource? waiter;
            lock (_lock)
            {
                if (_inputEnded)
                {
                    ArrayPool<byte>.Shared.Return(copy);
                    discard = true;
                    continue;
                }

                (_input ??= new Queue<ArraySegment<byte>>()).Enqueue(new ArraySegment<byte>(copy, 0, (int)chunk.Length));
                waiter = _inputWaiter;
                _inputWaiter = null;
            }

            waiter?.TrySetResult();
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
            while (_input is { Count: > 0 })
            {
                ArrayPool<byte>.Shared.Return(_input.Dequeue().Array!);
            }

            _inputHeadOffset = 0;
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
