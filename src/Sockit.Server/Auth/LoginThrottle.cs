namespace Sockit.Server.Auth;

/// <summary>
/// Counts failed logins three ways: per client address and user name together, per address, and per user name
/// (known or not, so nothing here reveals which accounts exist). Past a few free failures each failed answer is
/// delayed, the delay doubling. Past a limit a pair, or an address, is locked out for a while; a user name never is,
/// so failures from one address cannot lock its owner out everywhere. Shared by every connection.
/// </summary>
internal sealed class LoginThrottle
{
    /// <summary>Most pairs, addresses and names remembered; past it the stalest are forgotten first.</summary>
    public const int MaxEntries = 100_000;

    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Applies <paramref name="options"/>' limits, on <paramref name="time"/>'s clock.</summary>
    public LoginThrottle(AuthOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>
    /// How long logins as <paramref name="user"/> from <paramref name="address"/> are still refused (the pair or the
    /// whole address is locked out); zero when they are not. Failures for the name from other addresses never count here.
    /// </summary>
    public TimeSpan LockedFor(string address, string user)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return Max(Remaining(PairKey(address, user), now), Remaining(AddressKey(address), now));
        }
    }

    /// <summary>Counts a failure; returns how long to wait before answering it (the longest of the three counts' delays).</summary>
    public TimeSpan RecordFailure(string address, string user)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var pair = Fail(PairKey(address, user), now, _options.LockoutFailures);
            var byAddress = Fail(AddressKey(address), now, _options.AddressLockoutFailures);
            var byName = Fail(UserKey(user), now, lockoutFailures: null);
            return Max(pair, Max(byAddress, byName));
        }
    }

    /// <summary>
    /// Forgets the failures of <paramref name="user"/> from <paramref name="address"/> after a successful login there.
    /// The address's and the name's counts stay: a login to one's own account must not wipe a record of guessing.
    /// </summary>
    public void RecordSuccess(string address, string user)
    {
        lock (_lock)
        {
            _entries.Remove(PairKey(address, user));
        }
    }

    /// <summary>How many pairs, addresses and names are remembered (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    // An address is an IP address or "local": it never holds a space, so the pair key is unambiguous.
    private static string PairKey(string address, string user) => "p:" + address + " " + user;

    private static string AddressKey(string address) => "a:" + address;

    private static string UserKey(string user) => "u:" + user;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private TimeSpan Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var entry) && entry.LockedUntil > now ? entry.LockedUntil - now : TimeSpan.Zero;

    /// <summary>Counts one failure on <paramref name="key"/>, locking it at <paramref name="lockoutFailures"/> (never when null).</summary>
    private TimeSpan Fail(string key, DateTimeOffset now, int? lockoutFailures)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            MakeRoom(now);
            entry = new Entry();
            _entries[key] = entry;
        }
        else if (now - entry.LastFailure > _options.FailureWindow && entry.LockedUntil <= now)
        {
            entry.Failures = 0;
        }

        entry.Failures++;
        entry.LastFailure = now;
        if (entry.Failures >= lockoutFailures)
        {
            entry.LockedUntil = now + _options.LockoutDuration;
            entry.Failures = 0;
            return TimeSpan.Zero;
        }

        int overFree = entry.Failures - _options.FreeFailures;
        if (overFree <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^(n-1) steps, capped before it can overflow.
        var delay = _options.FailureDelay * Math.Pow(2, Math.Min(overFree - 1, 30));
        return delay < _options.MaxFailureDelay ? delay : _options.MaxFailureDelay;
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < MaxEntries)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil <= now && now - entry.LastFailure > _options.FailureWindow)
            {
                _entries.Remove(key);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            // Still full (a flood of fresh names): forget the stalest tenth, lockouts last.
            var stalest = _entries
                .OrderBy(pair => pair.Value.LockedUntil > now)
                .ThenBy(pair => pair.Value.LastFailure)
                .Take(MaxEntries / 10)
                .Select(pair => pair.Key)
                .ToList();
            foreach (var key in stalest)
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
