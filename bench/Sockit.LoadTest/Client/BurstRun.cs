using System.Diagnostics;
using System.Globalization;
using Sockit.Client;
using Sockit.LoadTest.Children;

namespace Sockit.LoadTest.Client;

/// <summary>
/// Does the real <c>sockit serve</c> give memory back after a burst? Starts it once per variant (GC and trim settings
/// through the environment), sends a burst of upper-cased 64 KiB echoes from many connections, closes them, then
/// samples the server's RSS while it sits idle. Echoes of <c>--size</c> bytes of 1 MiB or so are held whole on the server
/// (upper-casing needs the text), so they land on the large object heap, which is not compacted by default. Variants run one after another in one invocation, so their figures
/// are comparable on a shared machine.
/// </summary>
internal static class BurstRun
{
    private static readonly int[] SampleSeconds = [0, 5, 10, 30, 60, 75, 90];

    /// <summary>The configurations compared: as shipped, and with each of its memory settings undone.</summary>
    private static readonly (string Name, Dictionary<string, string> Environment)[] Variants =
    [
        ("shipped", []),
        ("no-idle-trim", new() { ["SOCKIT_Sockit__TrimMemoryWhenIdle"] = "false" }),
        ("before", new() { ["SOCKIT_Sockit__TrimMemoryWhenIdle"] = "false", ["DOTNET_GCConserveMemory"] = "0" }),
        ("server-gc", new() { ["SOCKIT_Sockit__TrimMemoryWhenIdle"] = "false", ["DOTNET_gcServer"] = "1" }),
    ];

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        foreach (var (name, environment) in Variants)
        {
            var line = await RunVariantAsync(name, environment, options, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<string> RunVariantAsync(
        string name, Dictionary<string, string> environment, LoadOptions options, CancellationToken cancellationToken)
    {
        using var server = await SockitServeProcess.StartAsync(environment, cancellationToken).ConfigureAwait(false);
        long baseline = ProcStatus.ReadRssBytes(server.ProcessId);
        LoadRun.Progress($"{name}: burst of {options.Connections} connections for {options.Duration.TotalSeconds:0} s");

        long peak = baseline;
        using (var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var sampler = SamplePeakAsync(server.ProcessId, rss => peak = Math.Max(peak, rss), sampling.Token);
            long requests = await BurstAsync(server.Address, options, cancellationToken).ConfigureAwait(false);
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            LoadRun.Progress($"{name}: {requests:N0} requests; now idle");
        }

        var samples = new List<string>();
        var idleSince = Stopwatch.StartNew();
        foreach (int second in SampleSeconds)
        {
            var wait = TimeSpan.FromSeconds(second) - idleSince.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            samples.Add(string.Create(CultureInfo.InvariantCulture, $"{second}s={Mib(ProcStatus.ReadRssBytes(server.ProcessId))}"));
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"burst variant={name} baseline={Mib(baseline)} peak={Mib(peak)} idle: {string.Join(' ', samples)} (MiB RSS)");
    }

    private static async Task<long> BurstAsync(string address, LoadOptions options, CancellationToken cancellationToken)
    {
        string text = new('a', options.Size);
        long requests = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        var loops = Enumerable.Range(0, options.Connections).Select(async _ =>
        {
            await using var client = await SockitClient.ConnectAsync(address, cancellationToken: cancellationToken).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                var reply = await client.EchoAsync(text, upper: true, cancellationToken).ConfigureAwait(false);
                if (reply.Length != text.Length)
                {
                    throw new InvalidDataException("the echo came back with another length");
                }

                Interlocked.Increment(ref requests);
            }
        });
        await Task.WhenAll(loops).ConfigureAwait(false);
        return requests;
    }

    private static async Task SamplePeakAsync(int processId, Action<long> observe, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                observe(ProcStatus.ReadRssBytes(processId));
            }
        }
        catch (OperationCanceledException)
        {
            // The burst is over.
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
}
