using Microsoft.Extensions.DependencyInjection;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Sessions;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>A test server that also offers <see cref="TestStreamOperation"/> (anonymously), with the probe it reports to.</summary>
internal sealed class SessionServer : IAsyncDisposable
{
    private SessionServer(TestServer server, SessionProbe probe)
    {
        Server = server;
        Probe = probe;
    }

    public TestServer Server { get; }

    public SessionProbe Probe { get; }

    /// <summary>The server's session directory, as an operation or a capability would get it.</summary>
    public ISessionDirectory Directory => Server.Server.Services.GetRequiredService<ISessionDirectory>();

    public static async Task<SessionServer> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sockit:Auth:AnonymousOps:0"] = "echo",
            ["Sockit:Auth:AnonymousOps:1"] = "time",
            ["Sockit:Auth:AnonymousOps:2"] = TestStreamOperation.OpName,

            // A test that fails with an operation still waiting must not hold the server's stop for long.
            ["Sockit:ShutdownTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var probe = new SessionProbe();
        var server = await TestServer.StartAsync(
            settings,
            configureServices: services => services.AddSingleton(probe).AddSockitOperation<TestStreamOperation>());
        return new SessionServer(server, probe);
    }

    public Task<FrameConnection> ConnectAsync() => FrameConnection.OpenAsync(Server.Framed);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
