using System.Collections.Concurrent;
using System.Diagnostics;

namespace Sockit.Protocol.Framing;

/// <summary>
/// Enforces the timeouts of many <see cref="FrameReader"/>s from one periodic tick, so a read costs a
/// timestamp instead of arming and resetting a timer. A server with thousands of connections shares one;
/// timeouts then fire up to one <see cref="Resolution"/> late.
/// </summary>
public sealed class FrameDeadlines : IDisposable
{
    private static readonly TimeSpan Finest = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Coarsest = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<FrameReader, byte> _readers = new(ReferenceEqualityComparer.Instance);
    private readonly Timer _timer;

    /// <summary>Starts ticking every <paramref name="resolution"/>.</summary>
    public FrameDeadlines(TimeSpan resolution)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resolution, TimeSpan.Zero);
        Resolution = resolution;
        _timer = new Timer(static state => ((FrameDeadlines)state!).Tick(), this, resolution, resolution);
    }

    /// <summary>How often deadlines are checked, and so how late a timeout may fire.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>
    /// A resolution fine enough for <paramref name="timeouts"/>: a quarter of the shortest finite one,
    /// between 10 ms and 1 s.
    /// </summary>
    public static TimeSpan ResolutionFor(params ReadOnlySpan<TimeSpan> timeouts)
    {
        var shortest = Coarsest * 4;
        foreach (var timeout in timeouts)
        {
            if (timeout > TimeSpan.Zero && timeout < shortest)
            {
                shortest = timeout;
            }
        }

        var quarter = shortest / 4;
        return quarter < Finest ? Finest : quarter > Coarsest ? Coarsest : quarter;
    }

    /// <summary>Stops ticking. Readers still registered then wait without timeouts.</summary>
    public void Dispose() => _timer.Dispose();

    internal void Register(FrameReader reader) => _readers.TryAdd(reader, 0);

    internal void Unregister(FrameReader reader) => _readers.TryRemove(reader, out _);

    private void Tick()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (var entry in _readers)
        {
            entry.Key.CheckDeadline(now);
        }
    }
}
