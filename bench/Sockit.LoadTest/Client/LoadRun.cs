using System.Diagnostics;
using System.Net;
using Sockit.LoadTest.Children;

namespace Sockit.LoadTest.Client;

/// <summary>
/// One measurement against one target: start its server (if the tool hosts it), connect, warm up, measure
/// for a fixed time, drain, stop. Always bounded: the run ends after warm-up plus duration plus a grace
/// period, whatever the server does.
/// </summary>
internal static class LoadRun
{
    /// <summary>How long connections get after the end to have their requests in flight answered.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    private const int ConnectParallelism = 64;

    public static async Task<LoadResult> RunAsync(Target target, LoadOptions options, CancellationToken cancellationToken)
    {
        Progress($"{target.Name}: starting");
        using var server = target.Kind == TargetKind.Address
            ? null
            : await ChildServer.StartAsync(target.Kind, options, cancellationToken).ConfigureAwait(false);
        var endpoint = target.Endpoint ?? new IPEndPoint(IPAddress.Loopback, server!.Port);
        Func<TimeSpan>? serverCpu = server is null ? null : () => server.CpuTime;
        return await MeasureAsync(target, endpoint, options, serverCpu, new RunControl(), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The measurement itself, against a server already listening at <paramref name="endpoint"/>: connect
    /// <c>--connections</c> loops, warm up, measure for <c>--duration</c>, drain.
    /// </summary>
    /// <remarks>
    /// <paramref name="serverCpu"/> reads the server's CPU time so far (null when the tool cannot see the server).
    /// <paramref name="control"/> is the phase the loops read: other loops sharing it start and stop counting with
    /// the measured window. <paramref name="startWindow"/> is called as that window opens; the window then also
    /// closes when the task it returns ends.
    /// </remarks>
    public static async Task<LoadResult> MeasureAsync(
        Target target,
        IPEndPoint endpoint,
        LoadOptions options,
        Func<TimeSpan>? serverCpu,
        RunControl control,
        Func<Task>? startWindow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(control);
        var frames = RequestFrames.Create(target, options.Size, options.Pipeline);
        var loops = Enumerable.Range(0, options.Connections)
            .Select(_ => new ConnectionLoop(frames, control, options.Pipeline))
            .ToArray();
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(60));
                await Parallel.ForEachAsync(
                    loops,
                    new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = connectTimeout.Token },
                    (loop, token) => new ValueTask(loop.ConnectAsync(endpoint, token))).ConfigureAwait(false);
            }

            Progress($"{target.Name}: {loops.Length} connections, warming up {options.Warmup.TotalSeconds:0.#} s");
            var running = loops.Select(loop => loop.RunAsync()).ToArray();
            var all = Task.WhenAll(running);

            await DelayUnlessFailedAsync(all, options.Warmup, cancellationToken).ConfigureAwait(false);
            using var process = Process.GetCurrentProcess();
            var clientCpu = process.TotalProcessorTime;
            var serverCpuBefore = serverCpu?.Invoke();
            var clock = Stopwatch.StartNew();
            control.StartMeasuring();
            var windowEnd = startWindow?.Invoke();

            await DelayUnlessFailedAsync(all, options.Duration, cancellationToken, windowEnd).ConfigureAwait(false);
            control.Stop();
            var elapsed = clock.Elapsed;
            process.Refresh();
            double clientCores = (process.TotalProcessorTime - clientCpu).TotalSeconds / elapsed.TotalSeconds;
            double? serverCores = serverCpu is null ? null : (serverCpu() - serverCpuBefore!.Value).TotalSeconds / elapsed.TotalSeconds;

            // Let requests in flight come back so connections close cleanly; then close whatever is left.
            await Task.WhenAny(all, Task.Delay(DrainGrace, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            int errors = ReportFailures(target, running);

            var latency = new LatencyHistogram();
            long replies = 0;
            foreach (var loop in loops)
            {
                latency.Add(loop.Histogram);
                replies += loop.Completed;
            }

            return new LoadResult(
                target.Name, options.Connections, options.Pipeline, options.Size, elapsed, replies, latency, serverCores, clientCores, errors);
        }
        finally
        {
            foreach (var loop in loops)
            {
                loop.Dispose();
            }
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/>, returning early only when cancelled, when every loop has ended or when
    /// <paramref name="windowEnd"/> has.
    /// </summary>
    private static async Task DelayUnlessFailedAsync(Task loops, TimeSpan delay, CancellationToken cancellationToken, Task? windowEnd = null)
    {
        var delayed = Task.Delay(delay, cancellationToken);
        await (windowEnd is null ? Task.WhenAny(loops, delayed) : Task.WhenAny(loops, delayed, windowEnd)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (loops.IsFaulted)
        {
            throw new InvalidOperationException("every connection failed", loops.Exception);
        }
    }

    private static int ReportFailures(Target target, Task[] running)
    {
        int failed = 0;
        int stuck = 0;
        foreach (var task in running)
        {
            if (task.IsFaulted)
            {
                if (failed++ == 0)
                {
                    Progress($"{target.Name}: a connection failed: {task.Exception!.GetBaseException().Message}");
                }
            }
            else if (!task.IsCompleted)
            {
                stuck++;
            }
        }

        if (stuck > 0)
        {
            Progress($"{target.Name}: {stuck} connections still had replies outstanding {DrainGrace.TotalSeconds:0} s after the end");
        }

        return failed + stuck;
    }

    internal static void Progress(string message) => Console.Error.WriteLine($"[loadtest] {message}");
}
