namespace Sockit.Server.Auth;

/// <summary>
/// Counts failed logins per client address and per user name (known or not, so a lockout reveals nothing about
/// which accounts exist): past a few free failures each answer is delayed, the delay doubling, and past a limit
/// logins are refused for a while. Shared by every connection.
/// </summary>
public sealed class LoginThrottle
{
    /// <summary>Most addresses and names remembered; past it the stalest are forgotten first.</summary>
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

    /// <summary>How long logins from <paramref name="address"/> or as <paramref name="user"/> are still refused; zero when they are not.</summary>
    public TimeSpan LockedFor(string address, string user)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return Max(Remaining(AddressKey(address), now), Remaining(UserKey(user), now));
        }
    }

    /// <summary>Counts a failure; returns how long to wait before answering it.</summary>
    public TimeSpan RecordFailure(string address, string user)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return Max(Fail(AddressKey(address), now), Fail(UserKey(user), now));
        }
    }

    /// <summary>Forgets <paramref name="user"/>'s failures after a successful login.</summary>
    public void RecordSuccess(string user)
    {
        lock (_lock)
        {
            _entries.Remove(UserKey(user));
        }
    }

    /// <summary>How many addresses and names are remembered (for tests and diagnostics).</summary>
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

    private static string AddressKey(string address) => "a:" + address;

    private static string UserKey(string user) => "u:" + user;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private TimeSpan Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var entry) && entry.LockedUntil > now ? entry.LockedUntil - now : TimeSpan.Zero;

    private TimeSpan Fail(string key, DateTimeOffset now)
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
        if (entry.Failures >= _options.LockoutFailures)
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
