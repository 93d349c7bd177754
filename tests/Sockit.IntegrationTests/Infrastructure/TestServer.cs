using Microsoft.Extensions.Logging;
using Sockit.Protocol.Addressing;
using Sockit.Server.Accounts;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>A real Sockit server on ephemeral loopback ports, one per test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly DirectoryInfo? _stateDirectory;

    private TestServer(SockitServer server, CapturedLog log, DirectoryInfo? stateDirectory)
    {
        Server = server;
        Log = log;
        _stateDirectory = stateDirectory;
    }

    public SockitServer Server { get; }

    public CapturedLog Log { get; }

    /// <summary>The server's accounts, in a folder of its own that is deleted with the server.</summary>
    public UserStore Users => new(Server.UsersFile);

    public SockitAddress Framed => Find(ServiceKind.Framed, AddressScheme.Tcp);

    public SockitAddress Tls => Find(ServiceKind.Framed, AddressScheme.Tls);

    public SockitAddress RawEcho => Find(ServiceKind.UpperEcho, AddressScheme.Tcp);

    public SockitAddress UdpEcho => Find(ServiceKind.UpperEcho, AddressScheme.Udp);

    public SockitAddress UdpTime => Find(ServiceKind.Time, AddressScheme.Udp);

    /// <summary>The legacy command listener, when <c>Sockit:Exec:Legacy:Address</c> asked for one.</summary>
    public SockitAddress LegacyExec => Server.Endpoints.First(e => e.Service == ServiceKind.LegacyExec).Address;

    public static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, string?>? overrides = null,
        IReadOnlyList<string>? listen = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var log = new CapturedLog();

        // Accounts and the local login key go to a folder of the test's own, never the user's home.
        var state = Directory.CreateTempSubdirectory("sockit-test-");
        var settings = new Dictionary<string, string?>
        {
            ["Sockit:Auth:UsersFile"] = Path.Combine(state.FullName, "users.json"),
            ["Sockit:Auth:LocalCredentialsFile"] = Path.Combine(state.FullName, "local-credentials.json"),
            ["Sockit:Files:DataRoot"] = Path.Combine(state.FullName, "homes"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        SockitServer server;
        try
        {
            server = SockitServer.Create(new SockitServerSettings
            {
                UseEnvironment = false,
                LogLevel = LogLevel.Debug,
                ConfigureLogging = logging => logging.AddProvider(log),
                Overrides = settings,
                ConfigureServices = configureServices,
                Listen = listen ??
                [
                    "framed=tcp://127.0.0.1:0",
                    "upper-echo=tcp://127.0.0.1:0",
                    "upper-echo=udp://127.0.0.1:0",
                    "time=udp://127.0.0.1:0",
                ],
            });
            await server.StartAsync();
        }
        catch
        {
            // A server that failed to start leaves nothing behind either.
            state.Delete(recursive: true);
            throw;
        }

        return new TestServer(server, log, state);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        await Server.DisposeAsync();
        Log.Dispose();
        _stateDirectory?.Delete(recursive: true);
    }

    private SockitAddress Find(ServiceKind service, AddressScheme scheme) =>
        Server.Endpoints.First(e => e.Service == service && e.Address.Scheme == scheme).Address;
}
