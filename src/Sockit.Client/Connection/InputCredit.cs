using System.Runtime.ExceptionServices;

namespace Sockit.Client.Connection;

/// <summary>
/// The bytes of <c>input</c> a streamed call may still send: the hello's window at first, then whatever the server's
/// <c>window</c> frames grant. A writer waits here rather than send more than it was granted.
/// </summary>
internal sealed class InputCredit
{
    private readonly Lock _gate = new();
    private long _available;
    private TaskCompletionSource? _waiter;
    private Exception? _closed;

    public InputCredit(long initial)
    {
        _available = initial;
    }

    /// <summary>Credit not taken yet.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>Adds credit (a grant from the server, or credit a writer took and could not use).</summary>
    public void Grant(long bytes)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _available += bytes;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>No more input can go: later and waiting writers fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _closed ??= reason;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Takes between 1 and <paramref name="max"/> bytes of credit, waiting while there is none.</summary>
    public async ValueTask<int> TakeAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_closed is not null)
                {
                    ExceptionDispatchInfo.Throw(_closed);
                }

                if (_available > 0)
                {
                    int taken = (int)Math.Min(max, _available);
                    _available -= taken;
                    return taken;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
