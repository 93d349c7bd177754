namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// Lets a log event through a few times a second and counts the rest, so a flood of cheap events (a client opening
/// connections only to be refused) cannot flood the log in turn. The next line that gets through says how many were
/// left out. Thread-safe.
/// </summary>
internal sealed class LogBudget
{
    private readonly int _perSecond;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _inWindow;
    private int _suppressed;

    public LogBudget(int perSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _perSecond = perSecond;
        _clock = clock;
        _windowStart = clock.GetTimestamp();
    }

    /// <summary>
    /// Whether to log this event; when so, <paramref name="suppressed"/> is how many were left out since the last
    /// one logged.
    /// </summary>
    public bool TryTake(out int suppressed)
    {
        lock (_lock)
        {
            long now = _clock.GetTimestamp();
            if (_clock.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _inWindow = 0;
            }

            if (_inWindow < _perSecond)
            {
                _inWindow++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
