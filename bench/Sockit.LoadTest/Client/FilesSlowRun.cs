using System.Diagnostics;
using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.LoadTest.Children;
using Sockit.LocalFiles;
using Sockit.Protocol.Files;
using static Sockit.LoadTest.Client.SummaryLines;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--files-slow</c>: a download read at <c>--slow-rate</c> bytes a second, the way a client on a slow link takes
/// it, with the server's RSS sampled every second. The server may send only the call's output window ahead of the
/// reader, so its memory must stay flat however large the file.
/// </summary>
internal static class FilesSlowRun
{
    /// <summary>The window <c>sockit get</c> asks for (<c>FileTransferOptions.Window</c>).</summary>
    private const int Window = 4 * 1024 * 1024;

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var key = KeyCredentialFile.Read(options.KeyFile);
        await using var client = await SockitClient.ConnectAsync(
            options.Address,
            new SockitClientOptions { Credentials = SockitCredentials.FromKey(key.User ?? "admin", key.Secret) },
            cancellationToken).ConfigureAwait(false);
        int pid = options.ServerPid;
        long before = ProcStatus.ReadRssBytes(pid);
        var samples = new List<long>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        long read = 0;
        try
        {
            await using var call = await client.StartAsync(
                id => new GetRequest { Id = id, Path = options.RemotePath },
                FilesJsonContext.Default.GetRequest,
                FilesJsonContext.Default.GetReply,
                options: new SockitCallOptions { OutputWindow = Window },
                cancellationToken: stop.Token).ConfigureAwait(false);
            var next = TimeSpan.FromSeconds(1);
            await foreach (var part in call.Frames.WithCancellation(stop.Token).ConfigureAwait(false))
            {
                read += part.Body.Length;

                // Ahead of the rate: wait until the clock catches up with the bytes taken.
                var due = TimeSpan.FromSeconds(read / options.SlowRate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, stop.Token).ConfigureAwait(false);
                }

                while (clock.Elapsed >= next)
                {
                    samples.Add(ProcStatus.ReadRssBytes(pid));
                    next += TimeSpan.FromSeconds(1);
                }

                if (clock.Elapsed.TotalSeconds >= options.SlowSeconds)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The reader has seen enough; cancelling the call tells the server to stop sending.
        }

        double elapsed = clock.Elapsed.TotalSeconds;

        // The first seconds fill the window and warm the server up; the steady state is what must be flat.
        var steady = samples.Skip(2).DefaultIfEmpty(before).ToList();
        Line($"target=sockit-get mode=files-slow rate_bytes_per_s={options.SlowRate:0} window={Window} read_bytes={read} elapsed_s={elapsed:0.0} server_rss_before_kib={before / 1024} server_rss_min_kib={steady.Min() / 1024} server_rss_max_kib={steady.Max() / 1024} server_rss_spread_kib={(steady.Max() - steady.Min()) / 1024} samples={samples.Count}");
        return 0;
    }
}
