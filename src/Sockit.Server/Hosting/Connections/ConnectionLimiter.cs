namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// Counts the connections being served, over all and per client address, so the server can refuse one over a limit
/// instead of hanging, and so one source cannot take every slot.
/// </summary>
internal sealed class ConnectionLimiter
{
    /// <summary>How many refusals may be under way at once; past it a refused client is dropped without a word.</summary>
    public const int MaxRefusalsInProgress = 64;

    private readonly int _limit;
    private readonly int _perAddressLimit;
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);
    private int _current;
    private int _refusals;

    /// <summary>Creates a limiter allowing <paramref name="limit"/> connections at once and no per-address limit.</summary>
    public ConnectionLimiter(int limit)
        : this(limit, 0)
    {
    }

    /// <summary>
    /// Creates a limiter allowing <paramref name="limit"/> connections at once, at most <paramref name="perAddressLimit"/>
    /// of them from one client address (0: no such limit).
    /// </summary>
    public ConnectionLimiter(int limit, int perAddressLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(perAddressLimit);
        _limit = limit;
        _perAddressLimit = perAddressLimit;
    }

    /// <summary>How often refusals are logged: five a second, the rest counted.</summary>
    public LogBudget RefusalLog { get; } = new(5, TimeProvider.System);

    /// <summary>The number of connections being served now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>The most connections served at once.</summary>
    public int Limit => _limit;

    /// <summary>The most connections served at once from one client address; 0 when there is no such limit.</summary>
    public int PerAddressLimit => _perAddressLimit;

    private bool TryAcquire()
    {
        if (Interlocked.Increment(ref _current) <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _current);
        return false;
    }

    /// <summary>
    /// Takes a slot for a client at <paramref name="address"/> (an IP address without port, or <c>local</c>). Every
    /// <see cref="ConnectionAdmission.Admitted"/> needs one <see cref="Release(string)"/> with the same address.
    /// </summary>
    public ConnectionAdmission TryAcquire(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!TryAcquire())
        {
            return ConnectionAdmission.ServerFull;
        }

        if (_perAddressLimit == 0)
        {
            return ConnectionAdmission.Admitted;
        }

        lock (_perAddress)
        {
            _perAddress.TryGetValue(address, out int count);
            if (count < _perAddressLimit)
            {
                _perAddress[address] = count + 1;
                return ConnectionAdmission.Admitted;
            }
        }

        Release();
        return ConnectionAdmission.AddressFull;
    }

    private void Release() => Interlocked.Decrement(ref _current);

    /// <summary>Gives back a slot taken by <see cref="TryAcquire(string)"/>.</summary>
    public void Release(string address)
    {
        if (_perAddressLimit != 0)
        {
            lock (_perAddress)
            {
                // Addresses with no connection left are forgotten, so the table holds live addresses only.
                int count = _perAddress[address] - 1;
                if (count == 0)
                {
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = count;
                }
            }
        }

        Release();
    }

    /// <summary>
    /// Starts telling a refused client why. Refusals hold a descriptor for a moment each, so a flood of them is capped:
    /// <see langword="false"/> means drop the client at once. Every success needs one <see cref="EndRefusal"/>.
    /// </summary>
    public bool TryBeginRefusal()
    {
        if (Interlocked.Increment(ref _refusals) <= MaxRefusalsInProgress)
        {
            return true;
        }

        Interlocked.Decrement(ref _refusals);
        return false;
    }

    /// <summary>Ends a refusal begun by <see cref="TryBeginRefusal"/>.</summary>
    public void EndRefusal() => Interlocked.Decrement(ref _refusals);
}
