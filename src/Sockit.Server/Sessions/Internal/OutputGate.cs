namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// An async mutex for the connection's output: taking and giving back a free gate is one interlocked operation each
/// (a request that replies at once pays nothing more), and writers that have to wait get it in the order they asked.
/// </summary>
/// <remarks>
/// <see cref="SemaphoreSlim"/> would do, but it takes a monitor lock on every wait and release, twice per reply on the
/// hot path of a pipelining client.
/// </remarks>
internal sealed class OutputGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _held;
    private int _waiting;
    private bool _closed;

    /// <summary>Takes the gate; completes at once when it is free.</summary>
    /// <exception cref="OperationCanceledException">The gate was closed, now or while waiting.</exception>
    public ValueTask EnterAsync()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
        {
            if (Volatile.Read(ref _closed))
            {
                Exit();
                throw new OperationCanceledException("the connection's output is closed");
            }

            return ValueTask.CompletedTask;
        }

        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_closed)
            {
                throw new OperationCanceledException("the connection's output is closed");
            }

            // Counted before the second try, so a writer leaving the gate meanwhile sees it and hands the gate over.
            Interlocked.Increment(ref _waiting);
            if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
            {
                Interlocked.Decrement(ref _waiting);
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return new ValueTask(waiter.Task);
    }

    /// <summary>Gives the gate back, to the longest waiter if there is one.</summary>
    public void Exit()
    {
        Interlocked.Exchange(ref _held, 0);
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }

        TaskCompletionSource? next = null;
        lock (_lock)
        {
            if (_waiters.Count > 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0)
            {
                next = _waiters.Dequeue();
                Interlocked.Decrement(ref _waiting);
            }
        }

        next?.TrySetResult();
    }

    /// <summary>Fails every waiter and every later <see cref="EnterAsync"/>: the connection is closing.</summary>
    public void Close()
    {
        TaskCompletionSource[] waiters;
        lock (_lock)
        {
            _closed = true;
            waiters = [.. _waiters];
            _waiters.Clear();
            Interlocked.Add(ref _waiting, -waiters.Length);
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetCanceled();
        }
    }
}
