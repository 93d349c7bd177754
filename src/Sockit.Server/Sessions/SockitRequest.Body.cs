using System.Buffers;
using System.Runtime.CompilerServices;
using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions;

/// <summary>The request's own body, read straight from the connection.</summary>
public sealed partial class SockitRequest
{
    private bool _bodyDone;
    private bool _bodyHeld;
    private TaskCompletionSource? _bodyWaiter;

    /// <summary>How many bytes of the request's own body are still to be read.</summary>
    public long BodyRemaining => IsBodyDone ? 0 : _reader.BodyRemaining;

    private bool IsBodyDone
    {
        get
        {
            lock (_lock)
            {
                return _bodyDone;
            }
        }
    }

    /// <summary>
    /// Takes the whole rest of the body if it has already arrived. The bytes stay valid until the operation next
    /// awaits anything, or returns: the connection reads on after that.
    /// </summary>
    public bool TryReadBufferedBody(out ReadOnlySequence<byte> body)
    {
        if (IsBodyDone)
        {
            body = ReadOnlySequence<byte>.Empty;
            return true;
        }

        if (!_reader.TryReadBufferedBody(out body))
        {
            return false;
        }

        MarkBodyDone(held: true);
        return true;
    }

    /// <summary>
    /// Reads the next piece of the body as it arrives; empty at its end. The bytes stay valid until the next read.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadBodyChunkAsync(CancellationToken cancellationToken = default)
    {
        if (IsBodyDone)
        {
            ReleaseHeldBody();
            return ReadOnlySequence<byte>.Empty;
        }

        var chunk = await _reader.ReadBodyChunkAsync(cancellationToken).ConfigureAwait(false);
        if (_reader.BodyRemaining == 0)
        {
            MarkBodyDone(held: true);
        }

        return chunk;
    }

    /// <summary>Copies body bytes into <paramref name="destination"/>; 0 at the end of the body.</summary>
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (IsBodyDone)
        {
            return 0;
        }

        int count = await _reader.ReadBodyAsync(destination, cancellationToken).ConfigureAwait(false);
        if (_reader.BodyRemaining == 0)
        {
            MarkBodyDone(held: false);
        }

        return count;
    }

    /// <summary>Reads the whole body into a new array, refusing (<c>body_too_large</c>) one over <paramref name="maxLength"/>.</summary>
    public async ValueTask<byte[]> ReadBodyAsArrayAsync(long maxLength, CancellationToken cancellationToken = default)
    {
        if (IsBodyDone)
        {
            return [];
        }

        var body = await _reader.ReadBodyAsArrayAsync(maxLength, cancellationToken).ConfigureAwait(false);
        MarkBodyDone(held: false);
        return body;
    }

    /// <summary>The body as a read-only stream.</summary>
    public Stream OpenBodyStream() => new BodyStream(ReadBodyAsync);

    /// <summary>
    /// Completes when the operation has read its whole body and holds none of it (or at once if so); the loop waits for
    /// this, or for the operation to finish, before it reads the next frame.
    /// </summary>
    internal Task BodyDone
    {
        get
        {
            lock (_lock)
            {
                if (_bodyDone && !_bodyHeld)
                {
                    return Task.CompletedTask;
                }

                _bodyWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _bodyWaiter.Task;
            }
        }
    }

    /// <summary>
    /// Notes the end of the body. A body handed out as a sequence (<paramref name="held"/>) points into the connection's
    /// buffer, which the loop would reuse once it reads on; so the loop is let go only at the operation's next call on
    /// this request (or its end), when it has done with those bytes.
    /// </summary>
    private void MarkBodyDone(bool held)
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _bodyDone = true;
            _bodyHeld = held;
            waiter = held ? null : _bodyWaiter;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Lets the loop read on if the operation held the last of its body: it has moved on from those bytes.</summary>
    private void ReleaseHeldBody()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (!_bodyHeld)
            {
                return;
            }

            _bodyHeld = false;
            waiter = _bodyWaiter;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Takes the body away from an operation that finished without reading all of it: the loop skips the rest.</summary>
    internal void CloseBody()
    {
        lock (_lock)
        {
            _bodyDone = true;
        }
    }
}
