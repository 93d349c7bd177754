using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Exec;

/// <summary>A test server with an account that may run commands (<c>operator</c>) and one that may not (<c>viewer</c>).</summary>
internal sealed class ExecServer : IAsyncDisposable
{
    public const string Operator = "operator";
    public const string OperatorPassword = "operator password";
    public const string Viewer = "viewer";
    public const string ViewerPassword = "viewer password";

    private ExecServer(TestServer server) => Server = server;

    public TestServer Server { get; }

    public static async Task<ExecServer> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null, string[]? listen = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sockit:ShutdownTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var server = listen is null ? await TestServer.StartAsync(settings) : await TestServer.StartAsync(settings, listen);
        server.Users.Add(Operator, OperatorPassword, Permissions.Exec);
        server.Users.Add(Viewer, ViewerPassword, Permissions.Files);
        return new ExecServer(server);
    }

    /// <summary>A client logged in as <paramref name="user"/> (the operator by default), or anonymous with <see langword="null"/>.</summary>
    public Task<SockitClient> ConnectAsync(string? user = Operator) => SockitClient.ConnectAsync(
        Server.Framed,
        new SockitClientOptions
        {
            Credentials = user is null ? null : SockitCredentials.FromPassword(user, user == Operator ? OperatorPassword : ViewerPassword),
        });

    /// <summary>A raw frame connection logged in as the operator (its login used ids 1 and 2).</summary>
    /// <param name="tlsCertificate">Connects to the TLS endpoint, which must show this certificate, instead of plain TCP.</param>
    public async Task<FrameConnection> OpenRawAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? tlsCertificate = null)
    {
        var connection = tlsCertificate is null
            ? await FrameConnection.OpenAsync(Server.Framed)
            : await FrameConnection.OpenTlsAsync(Server.Tls, tlsCertificate);
        var status = await connection.LoginWithPasswordAsync(Operator, OperatorPassword);
        Assert.True(status.Ok, status.Message);
        return connection;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
