using System.Diagnostics;
using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.LoadTest.Children;
using Sockit.LoadTest.Servers;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Tls;
using Sockit.Server.Tls;
using static Sockit.LoadTest.Client.SummaryLines;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--tls-compare</c>: the same server process, the same client library, plain TCP against TLS. Rounds alternate
/// the two so a busy moment on the machine falls on both; the summary takes medians.
/// </summary>
internal static class TlsCompareRun
{
    private const int Chunk = 1024 * 1024;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        var folder = Directory.CreateTempSubdirectory("sockit-bench-tls-");
        try
        {
            var crt = Path.Combine(folder.FullName, "bench.crt");
            var key = Path.Combine(folder.FullName, "bench.key");
            string fingerprint;
            using (var certificate = SelfSignedCertificate.Create(["127.0.0.1"], 1))
            {
                SelfSignedCertificate.WritePem(certificate, crt, key, overwrite: false);
                fingerprint = CertificateFingerprint.Format(certificate);
            }

            using var server = await ChildServer.StartAsync(
                TargetKind.SockitTls,
                options,
                CancellationToken.None,
                new Dictionary<string, string> { [SockitServeMode.CertificateVariable] = crt, [SockitServeMode.KeyVariable] = key }).ConfigureAwait(false);
            var targets = new (string Name, SockitAddress Address, SockitClientOptions Options)[]
            {
                ("tcp", new SockitAddress(AddressScheme.Tcp, "127.0.0.1", server.Port, ""), SockitClientOptions.Default),
                ("tls", new SockitAddress(AddressScheme.Tls, "127.0.0.1", server.TlsPort!.Value, ""), new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = fingerprint } }),
            };

            var rps = targets.ToDictionary(t => t.Name, _ => new List<double>());
            var mbps = targets.ToDictionary(t => t.Name, _ => new List<double>());
            for (int round = 0; round < options.Repeat; round++)
            {
                foreach (var (name, address, clientOptions) in targets)
                {
                    double echo = await EchoAsync(address, clientOptions, options).ConfigureAwait(false);
                    rps[name].Add(echo);
                    Line($"target=sockit-{name} mode=echo connections={options.Connections} size={options.Size} rps={echo:F0}");
                    double stream = await StreamAsync(address, clientOptions, options.StreamMib).ConfigureAwait(false);
                    mbps[name].Add(stream);
                    Line($"target=sockit-{name} mode=stream mib={options.StreamMib} mb_per_s={stream:F1}");
                }
            }

            Line($"summary echo_rps tcp={Median(rps["tcp"]):F0} tls={Median(rps["tls"]):F0} tls/tcp={Median(rps["tls"]) / Median(rps["tcp"]):F2}");
            Line($"summary stream_mb_per_s tcp={Median(mbps["tcp"]):F1} tls={Median(mbps["tls"]):F1} tls/tcp={Median(mbps["tls"]) / Median(mbps["tcp"]):F2}");
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Round trips per second over the measured window, every connection echoing one request at a time.</summary>
    private static async Task<double> EchoAsync(SockitAddress address, SockitClientOptions clientOptions, LoadOptions options)
    {
        var payload = new byte[options.Size];
        var clients = await Task.WhenAll(Enumerable.Range(0, options.Connections)
            .Select(_ => SockitClient.ConnectAsync(address, clientOptions))).ConfigureAwait(false);
        long counted = 0;
        int measuring = 0;
        using var stop = new CancellationTokenSource();
        var loops = clients.Select(client => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await client.EchoAsync(payload).ConfigureAwait(false);
                if (Volatile.Read(ref measuring) == 1)
                {
                    Interlocked.Increment(ref counted);
                }
            }
        })).ToArray();

        await Task.Delay(options.Warmup).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(options.Duration).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        double seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        foreach (var client in clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        return Interlocked.Read(ref counted) / seconds;
    }

    /// <summary>MB/s (10^6 bytes) of payload each way: <paramref name="mib"/> MiB up and back in 1 MiB echoes on one connection.</summary>
    private static async Task<double> StreamAsync(SockitAddress address, SockitClientOptions clientOptions, int mib)
    {
        var chunk = new byte[Chunk];
        Random.Shared.NextBytes(chunk);
        var client = await SockitClient.ConnectAsync(address, clientOptions).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < mib; i++)
            {
                var back = await client.EchoAsync(chunk).ConfigureAwait(false);
                if (back.Length != Chunk)
                {
                    throw new InvalidDataException($"echo returned {back.Length} bytes, not {Chunk}");
                }
            }

            return (double)mib * Chunk / 1e6 / clock.Elapsed.TotalSeconds;
        }
    }

}
