using Sockit.Client.Connection;

namespace Sockit.Client;

// The requests in flight: the table the read loop routes by id, and the slots that bound it.
public sealed partial class SockitClient
{
    private readonly Lock _pendingGate = new();
    private readonly Dictionary<long, PendingRequest> _pending = [];

    // One per request the server may have in flight: the hello's max_in_flight, or 1 for a server without "concurrent".
    private readonly SemaphoreSlim _slots;

    /// <summary>How many requests are in flight (registered and not answered yet).</summary>
    internal int RequestsInFlight
    {
        get
        {
            lock (_pendingGate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Waits for a free in-flight slot; the request that takes it must be registered or release it.</summary>
    private Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    private void ReleaseSlot() => _slots.Release();

    /// <summary>Makes <paramref name="request"/> known to the read loop as <paramref name="id"/>, before its header goes out.</summary>
    private void Register(PendingRequest request, long id)
    {
        lock (_pendingGate)
        {
            if (Volatile.Read(ref _fault) is { } fault)
            {
                throw Closed(fault);
            }

            request.Id = id;
            _pending.Add(id, request);
        }
    }

    private PendingRequest? FindPending(long id)
    {
        lock (_pendingGate)
        {
            return _pending.GetValueOrDefault(id);
        }
    }

    /// <summary>Takes the request <paramref name="id"/> out of the table at its final reply, freeing its slot.</summary>
    private PendingRequest? TakePending(long id)
    {
        PendingRequest? request;
        lock (_pendingGate)
        {
            _pending.Remove(id, out request);
        }

        if (request is not null)
        {
            ReleaseSlot();
        }

        return request;
    }

    /// <summary>The oldest request still waiting: the one a protocol 1 server answers next.</summary>
    private PendingRequest? OldestPending()
    {
        lock (_pendingGate)
        {
            PendingRequest? oldest = null;
            foreach (var request in _pending.Values)
            {
                if (!request.IsAbandoned && (oldest is null || request.Id < oldest.Id))
                {
                    oldest = request;
                }
            }

            return oldest;
        }
    }

    /// <summary>Empties the table when the connection fails, freeing every slot.</summary>
    private List<PendingRequest> DrainPending()
    {
        List<PendingRequest> all;
        lock (_pendingGate)
        {
            all = [.. _pending.Values];
            _pending.Clear();
        }

        if (all.Count > 0)
        {
            _slots.Release(all.Count);
        }

        return all;
    }
}
