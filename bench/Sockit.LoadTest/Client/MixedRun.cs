using System.Globalization;
using Sockit.LoadTest.Children;
using Sockit.Protocol.Addressing;
using static Sockit.LoadTest.Client.SummaryLines;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--mixed</c>: what one connection streaming large echoes does to small round trips on the others. Against the
/// real <c>sockit serve</c>, <c>--connections</c> minus one connections run framed echoes (the load run's own loops:
/// <c>--size</c> bytes, <c>--pipeline</c> in flight), measured twice per round: alone, and while one more
/// connection streams 1 MiB echoes (<see cref="BulkInFlight"/> in flight, each with its own <c>id</c>, replies read
/// as they come, so neither side stalls). The second window ends when the stream has moved <c>--stream-mib</c> MiB
/// each way or at <c>--duration</c>, whichever comes first. Both windows run against the same server process, and rounds alternate
/// their order, so drift on a shared machine falls on both.
/// </summary>
internal static class MixedRun
{
    /// <summary>The stream's body per request: the server's default echo limit (<c>Sockit:MaxEchoBodyLength</c>).</summary>
    private const int BulkBodyBytes = 1024 * 1024;

    /// <summary>Stream requests in flight: enough that the server always has the next body arriving.</summary>
    private const int BulkInFlight = 4;

    private const string EchoOnly = "echo-only";
    private const string WithBulk = "with-bulk";

    /// <summary>
    /// Unmeasured time fresh echo connections run before each window; the server itself is warmed up once, by
    /// <c>--warmup</c>.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        LoadRun.Progress("sockit-serve: starting");
        using var server = await SockitServeProcess.StartAsync(new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        var target = Target.Parse(SockitAddress.Parse(server.Address).HostPort) with { Name = "sockit-serve" };
        var phase = new Phase(server, target, RequestFrames.Create(target, BulkBodyBytes, BulkInFlight, distinctIds: true));
        var echo = options with { Connections = options.Connections - 1, Warmup = Settle };

        if (options.Warmup > TimeSpan.Zero)
        {
            LoadRun.Progress($"sockit-serve: warming up {options.Warmup.TotalSeconds:0.#} s with the stream and the echoes together");
            var (_, warm) = await phase.RunAsync(echo with { Warmup = TimeSpan.Zero, Duration = options.Warmup }, long.MaxValue, cancellationToken)
                .ConfigureAwait(false);
            LoadRun.Progress(string.Create(CultureInfo.InvariantCulture, $"sockit-serve: warm-up stream {warm!.Mib} MiB at {warm.MibPerSecond:0.0} MiB/s"));
        }

        var results = new Dictionary<string, List<LoadResult>> { [EchoOnly] = [], [WithBulk] = [] };
        var streams = new List<BulkFigures>();
        int failures = 0;
        for (int round = 0; round < options.Repeat; round++)
        {
            bool[] order = round % 2 == 0 ? [false, true] : [true, false];
            foreach (bool withBulk in order)
            {
                var (result, bulk) = await phase.RunAsync(echo, withBulk ? options.StreamMib : 0, cancellationToken).ConfigureAwait(false);
                failures += result.Errors > 0 ? 1 : 0;
                results[withBulk ? WithBulk : EchoOnly].Add(result);
                string line = $"{result} mode=mixed phase={(withBulk ? WithBulk : EchoOnly)}";
                if (bulk is not null)
                {
                    streams.Add(bulk);
                    line += string.Create(
                        CultureInfo.InvariantCulture,
                        $" bulk_mib={bulk.Mib} bulk_mib_per_s={bulk.MibPerSecond:0.0} bulk_end={bulk.End}");
                }

                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        WriteSummary(results[EchoOnly], results[WithBulk], streams);
        return failures > 0 ? 1 : 0;
    }

    /// <summary>Medians over the rounds, each measure alone and beside the stream, and their ratio.</summary>
    private static void WriteSummary(List<LoadResult> alone, List<LoadResult> beside, List<BulkFigures> streams)
    {
        void Compare(string name, Func<LoadResult, double> measure, string format)
        {
            double a = Median([.. alone.Select(measure)]);
            double b = Median([.. beside.Select(measure)]);
            Line($"summary mixed_{name} {EchoOnly}={a.ToString(format, CultureInfo.InvariantCulture)} {WithBulk}={b.ToString(format, CultureInfo.InvariantCulture)} ratio={b / a:0.00}");
        }

        static double Micros(long nanoseconds) => nanoseconds / 1000.0;

        Compare("echo_rps", r => r.RoundTripsPerSecond, "0");
        Compare("echo_p50_us", r => Micros(r.Latency.ValueAt(0.50)), "0.0");
        Compare("echo_p99_us", r => Micros(r.Latency.ValueAt(0.99)), "0.0");
        Compare("echo_p999_us", r => Micros(r.Latency.ValueAt(0.999)), "0.0");
        Compare("echo_max_us", r => Micros(r.Latency.Max), "0.0");
        Line($"summary mixed_bulk mib_each_way={Median([.. streams.Select(s => (double)s.Mib)]):0} mib_per_s={Median([.. streams.Select(s => s.MibPerSecond)]):0.0}");
    }

    /// <summary>
    /// What the stream did in one window: <c>Mib</c> went up and came back while measuring (1 MiB per completed
    /// echo); <c>End</c> is <c>bytes</c> when it moved all it was to, <c>time</c> when the duration ended it,
    /// <c>failed</c> or <c>stuck</c> when it broke or did not drain.
    /// </summary>
    private sealed record BulkFigures(long Mib, double MibPerSecond, string End);

    /// <summary>One measured window against the server: the echo connections, with or without the stream.</summary>
    private sealed class Phase(SockitServeProcess server, Target target, RequestFrames bulkFrames)
    {
        /// <summary>Measures the echoes with a stream of <paramref name="bulkRequests"/> 1 MiB echoes beside them (0: none).</summary>
        public async Task<(LoadResult Echo, BulkFigures? Bulk)> RunAsync(LoadOptions echo, long bulkRequests, CancellationToken cancellationToken)
        {
            var endpoint = target.Endpoint!;
            var control = new RunControl();
            if (bulkRequests == 0)
            {
                var alone = await LoadRun.MeasureAsync(target, endpoint, echo, () => server.CpuTime, control, null, cancellationToken)
                    .ConfigureAwait(false);
                return (alone, null);
            }

            // The stream shares the echo loops' control: it counts only in their measured window and stops with it.
            using var bulk = new ConnectionLoop(bulkFrames, control, BulkInFlight, bulkRequests);
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(60));
                await bulk.ConnectAsync(endpoint, connectTimeout.Token).ConfigureAwait(false);
            }

            Task? streaming = null;
            var result = await LoadRun.MeasureAsync(
                target, endpoint, echo, () => server.CpuTime, control, () => streaming = bulk.RunAsync(), cancellationToken).ConfigureAwait(false);

            // The window has closed; let the stream's requests in flight come back before its connection closes.
            await Task.WhenAny(streaming!, Task.Delay(LoadRun.DrainGrace, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            string end = streaming!.IsFaulted ? "failed" : !streaming.IsCompleted ? "stuck" : bulk.Completed == bulkRequests ? "bytes" : "time";
            if (end is "failed" or "stuck")
            {
                LoadRun.Progress($"{target.Name}: the stream {end}: {streaming.Exception?.GetBaseException().Message ?? "replies outstanding after the end"}");
                result = result with { Errors = result.Errors + 1 };
            }

            return (result, new BulkFigures(bulk.Completed, bulk.Completed / result.Elapsed.TotalSeconds, end));
        }
    }
}
