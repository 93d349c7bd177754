using System.Globalization;

namespace Sockit.LoadTest.Client;

/// <summary>What one load run measured; <see cref="ToString"/> is the tool's one result line.</summary>
public sealed record LoadResult(
    string Target,
    int Connections,
    int Pipeline,
    int Size,
    TimeSpan Elapsed,
    long Replies,
    LatencyHistogram Latency,
    double? ServerCpu,
    double ClientCpu,
    int Errors)
{
    public double RoundTripsPerSecond => Replies / Elapsed.TotalSeconds;

    /// <summary><c>key=value</c> pairs separated by spaces: readable, and split by the script with awk.</summary>
    public override string ToString()
    {
        static string Micros(long nanoseconds) => (nanoseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);

        return string.Create(
            CultureInfo.InvariantCulture,
            $"target={Target} conns={Connections} pipeline={Pipeline} size={Size} duration_s={Elapsed.TotalSeconds:0.00} " +
            $"replies={Replies} rps={RoundTripsPerSecond:0} " +
            $"p50_us={Micros(Latency.ValueAt(0.50))} p90_us={Micros(Latency.ValueAt(0.90))} p99_us={Micros(Latency.ValueAt(0.99))} " +
            $"p999_us={Micros(Latency.ValueAt(0.999))} max_us={Micros(Latency.Max)} " +
            $"server_cpu={(ServerCpu is { } cpu ? cpu.ToString("0.00", CultureInfo.InvariantCulture) : "na")} client_cpu={ClientCpu:0.00} " +
            $"errors={Errors}");
    }
}
