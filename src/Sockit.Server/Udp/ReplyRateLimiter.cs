using System.Net;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Udp;

/// <summary>
/// A token bucket per source address (an IPv6 source by its /64, as <see cref="ClientAddress"/> counts): each source earns <see cref="UdpOptions.RepliesPerSecond"/> replies a second up
/// to <see cref="UdpOptions.ReplyBurst"/>. Not thread-safe: one endpoint's receive loop owns it.
/// </summary>
internal sealed class ReplyRateLimiter
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly int _maxSources;
    private readonly TimeProvider _clock;
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private Bucket _overflow;
    private long _nextPrune;

    public ReplyRateLimiter(UdpOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _perSecond = options.RepliesPerSecond;
        _burst = Math.Max(1, options.ReplyBurst);
        _maxSources = Math.Max(1, options.MaxTrackedSources);
        _clock = clock;
        _overflow = new Bucket(_burst, clock.GetTimestamp());
    }

    /// <summary>The number of sources tracked now (for tests and diagnostics).</summary>
    public int TrackedSources => _buckets.Count;

    /// <summary>Takes one reply from <paramref name="source"/>'s budget; <see langword="false"/> when it has none left.</summary>
    public bool TryTake(IPAddress source)
    {
        if (_perSecond <= 0)
        {
            return true;
        }

        source = ClientAddress.GroupOf(source);
        long now = _clock.GetTimestamp();
        if (_buckets.TryGetValue(source, out var bucket))
        {
            bool granted = TryTake(ref bucket, now);
            _buckets[source] = bucket;
            return granted;
        }

        if (_buckets.Count >= _maxSources && now >= _nextPrune)
        {
            // A full sweep costs one pass over the table; once a second at most, so a flood of new sources cannot
            // turn every datagram into one.
            _nextPrune = now + _clock.TimestampFrequency;
            PruneRefilled(now);
        }

        if (_buckets.Count >= _maxSources)
        {
            return TryTake(ref _overflow, now);
        }

        bucket = new Bucket(_burst, now);
        bool first = TryTake(ref bucket, now);
        _buckets[source] = bucket;
        return first;
    }

    private bool TryTake(ref Bucket bucket, long now)
    {
        double elapsed = _clock.GetElapsedTime(bucket.Updated, now).TotalSeconds;
        bucket = new Bucket(Math.Min(_burst, bucket.Tokens + (elapsed * _perSecond)), now);
        if (bucket.Tokens < 1)
        {
            return false;
        }

        bucket = bucket with { Tokens = bucket.Tokens - 1 };
        return true;
    }

    /// <summary>A source whose bucket has refilled is no different from one never seen, so it can be forgotten.</summary>
    private void PruneRefilled(long now)
    {
        foreach (var (source, bucket) in _buckets)
        {
            if (bucket.Tokens + (_clock.GetElapsedTime(bucket.Updated, now).TotalSeconds * _perSecond) >= _burst)
            {
                _buckets.Remove(source);
            }
        }
    }

    private readonly record struct Bucket(double Tokens, long Updated);
}
