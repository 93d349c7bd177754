namespace Sockit.Server.Hosting;

/// <summary>Collects the endpoints as they are bound, with the ports the OS chose.</summary>
internal sealed class EndpointRegistry
{
    private readonly List<Func<BoundEndpoint>> _pending = [];
    private readonly List<BoundEndpoint> _bound = [];
    private readonly Lock _gate = new();

    /// <summary>Records an endpoint that is bound.</summary>
    public void Add(BoundEndpoint endpoint)
    {
        lock (_gate)
        {
            _bound.Add(endpoint);
        }
    }

    /// <summary>Records an endpoint whose address is only known once the server has started.</summary>
    public void AddDeferred(Func<BoundEndpoint> endpoint)
    {
        lock (_gate)
        {
            _pending.Add(endpoint);
        }
    }

    /// <summary>Every endpoint, grouped by service then transport, framed first. Call after the server started.</summary>
    public IReadOnlyList<BoundEndpoint> Snapshot()
    {
        lock (_gate)
        {
            return
            [
                .. _pending.Select(resolve => resolve()).Concat(_bound)
                    .OrderBy(endpoint => endpoint.Service)
                    .ThenBy(endpoint => endpoint.Address.Scheme)
                    .ThenBy(endpoint => endpoint.Name, StringComparer.Ordinal),
            ];
        }
    }
}
