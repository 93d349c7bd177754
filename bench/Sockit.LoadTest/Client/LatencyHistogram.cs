using System.Numerics;

namespace Sockit.LoadTest.Client;

/// <summary>
/// A log-linear histogram of nanoseconds, in the manner of HdrHistogram: exact below 64, then 32 buckets per
/// power of two, so any value is reported within about 1.6 %. Fixed size, no allocation when recording;
/// one per connection, merged at the end, so recording needs no synchronisation.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private const int ExactBelow = 2 * SubBuckets;
    private const int MaxBits = 40; // values are clamped below 2^40 ns, about 18 minutes

    private readonly long[] _counts = new long[ExactBelow + ((MaxBits - 6) * SubBuckets)];
    private long _max;

    public long Count { get; private set; }

    public long Max => _max;

    public void Record(long nanoseconds)
    {
        long value = Math.Clamp(nanoseconds, 0, (1L << MaxBits) - 1);
        _counts[Index(value)]++;
        Count++;
        if (value > _max)
        {
            _max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>The value at <paramref name="quantile"/> (0.5 for the median), as its bucket's midpoint.</summary>
    public long ValueAt(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Midpoint(i), _max);
            }
        }

        return _max;
    }

    private static int Index(long value)
    {
        if (value < ExactBelow)
        {
            return (int)value;
        }

        // Shift so the value keeps its top 6 bits: (value >> shift) is then in [32, 64).
        int shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - 5;
        return ExactBelow + ((shift - 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    private static long Midpoint(int index)
    {
        if (index < ExactBelow)
        {
            return index;
        }

        int shift = ((index - ExactBelow) / SubBuckets) + 1;
        long sub = ((index - ExactBelow) % SubBuckets) + SubBuckets;
        return (sub << shift) + ((1L << shift) / 2);
    }
}
