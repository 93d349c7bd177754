using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.LoadTest.Children;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--idle N</c>: what an idle connection costs the server. Opens N connections, each greeted and used for
/// one echo as a real client would, then holds them and compares the server's memory with its memory before.
/// </summary>
internal static class IdleRun
{
    private const int ConnectParallelism = 64;
    private const int WarmupConnections = 64;

    public static async Task<string> RunAsync(Target target, LoadOptions options, CancellationToken cancellationToken)
    {
        if (target.Kind == TargetKind.Address)
        {
            throw new ArgumentException("--idle reads the server's memory, so it needs a server the tool starts (sockit, raw or python)");
        }

        LoadRun.Progress($"{target.Name}: starting");
        using var server = await ChildServer.StartAsync(target.Kind, options, cancellationToken).ConfigureAwait(false);
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var frames = RequestFrames.Create(target, options.Size, 1);

        // A few connections first, so code compiled and pools filled on first use are in the "before" figure
        // and not charged to the connections measured.
        CloseAll(await OpenAsync(endpoint, frames, WarmupConnections, cancellationToken).ConfigureAwait(false));
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        var before = await server.ReadStatsAsync(cancellationToken).ConfigureAwait(false);

        LoadRun.Progress($"{target.Name}: opening {options.Idle} idle connections");
        var sockets = await OpenAsync(endpoint, frames, options.Idle, cancellationToken).ConfigureAwait(false);
        try
        {
            // Give the server a moment to settle whatever it does after the last handshake.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var after = await server.ReadStatsAsync(cancellationToken).ConfigureAwait(false);
            return Format(target, options, before, after);
        }
        finally
        {
            CloseAll(sockets);
        }
    }

    private static string Format(Target target, LoadOptions options, ServerStats before, ServerStats after)
    {
        long n = options.Idle;
        string managed = before.ManagedBytes < 0
            ? "managed_before_kib=na managed_after_kib=na managed_per_conn_bytes=na"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"managed_before_kib={before.ManagedBytes / 1024} managed_after_kib={after.ManagedBytes / 1024} " +
                $"managed_per_conn_bytes={(after.ManagedBytes - before.ManagedBytes) / n}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"target={target.Name} idle={n} size={options.Size} rss_before_kib={before.RssBytes / 1024} " +
            $"rss_after_kib={after.RssBytes / 1024} rss_per_conn_bytes={(after.RssBytes - before.RssBytes) / n} {managed}");
    }

    private static async Task<Socket[]> OpenAsync(IPEndPoint endpoint, RequestFrames frames, int count, CancellationToken cancellationToken)
    {
        var sockets = new Socket[count];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = timeout.Token },
                async (i, token) =>
                {
                    var socket = ConnectionLoop.NewSocket();
                    sockets[i] = socket;
                    await socket.ConnectAsync(endpoint, token).ConfigureAwait(false);
                    var buffer = ArrayPool<byte>.Shared.Rent(2 * ReplyScanner.MaxHeadBytes);
                    try
                    {
                        var scanner = frames.NewScanner();
                        await ConnectionLoop.ReceiveRepliesAsync(socket, buffer, scanner, 0, token).ConfigureAwait(false);
                        await socket.SendAsync(frames.Batch.AsMemory(0, frames.FrameLength), SocketFlags.None, token).ConfigureAwait(false);
                        await ConnectionLoop.ReceiveRepliesAsync(socket, buffer, scanner, 1, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }).ConfigureAwait(false);
        }
        catch
        {
            CloseAll(sockets);
            throw;
        }

        return sockets;
    }

    private static void CloseAll(Socket?[] sockets)
    {
        foreach (var socket in sockets)
        {
            socket?.Dispose();
        }
    }
}
