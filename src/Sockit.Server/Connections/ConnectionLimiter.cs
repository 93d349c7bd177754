namespace Sockit.Server.Connections;

/// <summary>Counts the connections being served so the server can refuse one over its limit instead of hanging.</summary>
public sealed class ConnectionLimiter
{
    private readonly int _limit;
    private int _current;

    /// <summary>Creates a limiter allowing <paramref name="limit"/> connections at once.</summary>
    public ConnectionLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
    }

    /// <summary>The number of connections being served now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>The most connections served at once.</summary>
    public int Limit => _limit;

    /// <summary>Takes a slot; <see langword="false"/> when the server is full. Every success needs one <see cref="Release"/>.</summary>
    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _current) <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _current);
        return false;
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _current);
}
