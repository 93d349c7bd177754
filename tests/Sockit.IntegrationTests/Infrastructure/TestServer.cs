using Microsoft.Extensions.Logging;
using Sockit.Protocol.Addressing;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>A real Sockit server on ephemeral loopback ports, one per test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(SockitServer server, CapturedLog log)
    {
        Server = server;
        Log = log;
    }

    public SockitServer Server { get; }

    public CapturedLog Log { get; }

    public SockitAddress Framed => Find(ServiceKind.Framed, AddressScheme.Tcp);

    public SockitAddress Tls => Find(ServiceKind.Framed, AddressScheme.Tls);

    public SockitAddress RawEcho => Find(ServiceKind.UpperEcho, AddressScheme.Tcp);

    public SockitAddress UdpEcho => Find(ServiceKind.UpperEcho, AddressScheme.Udp);

    public SockitAddress UdpTime => Find(ServiceKind.Time, AddressScheme.Udp);

    public static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyList<string>? listen = null)
    {
        var log = new CapturedLog();
        var server = SockitServer.Create(new SockitServerSettings
        {
            UseEnvironment = false,
            LogLevel = LogLevel.Debug,
            ConfigureLogging = logging => logging.AddProvider(log),
            Overrides = overrides ?? new Dictionary<string, string?>(),
            Listen = listen ??
            [
                "framed=tcp://127.0.0.1:0",
                "upper-echo=tcp://127.0.0.1:0",
                "upper-echo=udp://127.0.0.1:0",
                "time=udp://127.0.0.1:0",
            ],
        });
        await server.StartAsync();
        return new TestServer(server, log);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        await Server.DisposeAsync();
        Log.Dispose();
    }

    private SockitAddress Find(ServiceKind service, AddressScheme scheme) =>
        Server.Endpoints.First(e => e.Service == service && e.Address.Scheme == scheme).Address;
}
