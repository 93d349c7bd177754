using System.Buffers;
using System.Runtime.CompilerServices;
using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions;

/// <summary>The request's own body, read straight from the connection.</summary>
public sealed partial class SockitRequest
{
    // 0: the operation is reading its body; 1: done, but it still holds the last bytes handed out; 2: done with it.
    // Only the operation moves it forward, and only the loop waits on it, so two fenced fields do instead of a lock.
    private const int BodyReading = 0;
    private const int BodyHeld = 1;
    private const int BodyReleased = 2;
    private int _bodyState;
    private TaskCompletionSource? _bodyWaiter;

    /// <summary>How many bytes of the request's own body are still to be read.</summary>
    public long BodyRemaining => IsBodyDone ? 0 : _reader.BodyRemaining;

    private bool IsBodyDone => Volatile.Read(ref _bodyState) != BodyReading;

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
            if (Volatile.Read(ref _bodyState) == BodyReleased)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _bodyWaiter, waiter);

            // The operation writes its state, then reads the waiter; this side writes the waiter, then reads the state:
            // with a full fence on each side, at least one of the two sees the other.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _bodyState) == BodyReleased)
            {
                waiter.TrySetResult();
            }

            return waiter.Task;
        }
    }

    /// <summary>
    /// Notes the end of the body. A body handed out as a sequence (<paramref name="held"/>) points into the connection's
    /// buffer, which the loop would reuse once it reads on; so the loop is let go only at the operation's next call on
    /// this request (or its end), when it has done with those bytes.
    /// </summary>
    private void MarkBodyDone(bool held)
    {
        Volatile.Write(ref _bodyState, held ? BodyHeld : BodyReleased);
        if (!held)
        {
            WakeBodyWaiter();
        }
    }

    /// <summary>Lets the loop read on if the operation held the last of its body: it has moved on from those bytes.</summary>
    private void ReleaseHeldBody()
    {
        if (Volatile.Read(ref _bodyState) == BodyHeld)
        {
            Volatile.Write(ref _bodyState, BodyReleased);
            WakeBodyWaiter();
        }
    }

    private void WakeBodyWaiter()
    {
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _bodyWaiter)?.TrySetResult();
    }
}
