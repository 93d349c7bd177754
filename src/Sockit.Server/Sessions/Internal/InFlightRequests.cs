using Sockit.Protocol.Errors;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// The requests with an <c>id</c> a connection is running, so control frames can find them by id and the connection
/// can stop and wait for them when it ends. Requests without an <c>id</c> run inside the loop and are never here.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly Lock _lock = new();
    private readonly int _limit;
    private Dictionary<long, Entry>? _entries;
    private int _count;

    // Requests whose id is free again (their final reply is going out) but which have not ended yet: the connection
    // still waits for them before its last frame.
    private List<Task>? _leaving;

    public InFlightRequests(int limit)
    {
        _limit = limit;
    }

    /// <summary>How many requests run on their own now.</summary>
    public int Count => Volatile.Read(ref _count);


    /// <summary>Throws <c>duplicate_id</c> or <c>too_many_requests</c> when a request with <paramref name="id"/> may not start.</summary>
    public void CheckRoom(long id)
    {
        // Most connections never have a request running on: no lock for them.
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries is null)
            {
                return;
            }

            if (_entries.ContainsKey(id))
            {
                throw new SockitException(
                    SockitErrorCode.DuplicateId, $"request {id} is still in flight; use another id, or wait for its reply");
            }

            if (_entries.Count >= _limit)
            {
                throw new SockitException(
                    SockitErrorCode.TooManyRequests,
                    $"this connection already has {_limit} requests in flight, the most it may have; wait for a reply first");
            }
        }
    }

    /// <summary>Adds a request that passed <see cref="CheckRoom"/> and now runs on its own.</summary>
    public void Add(long id, SockitRequest request)
    {
        lock (_lock)
        {
            (_entries ??= [])[id] = new Entry(request);
            Volatile.Write(ref _count, _entries.Count);
        }
    }

    /// <summary>Notes the task of a request that runs on while the loop reads on.</summary>
    public void SetRunning(long id, SockitRequest request, Task running)
    {
        lock (_lock)
        {
            if (_entries is not null && _entries.TryGetValue(id, out var entry) && ReferenceEquals(entry.Request, request))
            {
                entry.Running = running;
            }
            else
            {
                // It replied before this came: it is still to be waited for.
                Track(running);
            }
        }
    }

    /// <summary>
    /// Frees the id of a request whose final reply is going out, or which ended. Until the request has ended,
    /// <see cref="AbortAll"/> and <see cref="EndAllInput"/> still return it to wait for.
    /// </summary>
    public void Remove(long id, SockitRequest request)
    {
        lock (_lock)
        {
            if (_entries is not null && _entries.TryGetValue(id, out var entry) && ReferenceEquals(entry.Request, request))
            {
                _entries.Remove(id);
                Volatile.Write(ref _count, _entries.Count);
                if (entry.Running is not null)
                {
                    Track(entry.Running);
                }
            }
        }
    }

    private void Track(Task running)
    {
        if (running.IsCompleted)
        {
            return;
        }

        _leaving ??= [];
        _leaving.RemoveAll(static task => task.IsCompleted);
        _leaving.Add(running);
    }

    /// <summary>Finds the running request with <paramref name="id"/>.</summary>
    public bool TryGet(long id, out SockitRequest request)
    {
        lock (_lock)
        {
            if (_entries is not null && _entries.TryGetValue(id, out var entry))
            {
                request = entry.Request;
                return true;
            }
        }

        request = null!;
        return false;
    }

    /// <summary>Aborts every request (for <paramref name="reason"/>) and returns the tasks to wait for.</summary>
    public Task[] AbortAll(AbortReason reason) => ForAll(request => request.Abort(reason));

    /// <summary>
    /// Ends every request's input and the credit it may still get (the client half-closed) and returns the tasks to wait
    /// for.
    /// </summary>
    public Task[] EndAllInput() => ForAll(static request =>
    {
        request.EndInput();
        request.EndOutputCredit();
    });

    private Task[] ForAll(Action<SockitRequest> action)
    {
        List<(SockitRequest Request, Task? Running)> snapshot;
        Task[] leaving;
        lock (_lock)
        {
            leaving = _leaving is null ? [] : [.. _leaving.Where(static task => !task.IsCompleted)];
            if ((_entries is null || _entries.Count == 0) && leaving.Length == 0)
            {
                return [];
            }

            snapshot = _entries is null ? [] : [.. _entries.Values.Select(entry => (entry.Request, entry.Running))];
        }

        foreach (var (request, _) in snapshot)
        {
            action(request);
        }

        return [.. snapshot.Where(item => item.Running is not null).Select(item => item.Running!), .. leaving];
    }

    private sealed class Entry(SockitRequest request)
    {
        public SockitRequest Request { get; } = request;

        public Task? Running { get; set; }
    }
}
