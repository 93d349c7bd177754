using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// <c>sockit serve</c> as a child process with <see cref="FilesServer"/>'s files account, which a test kills with
/// SIGKILL and starts again on the same accounts and homes: what an upload left behind must survive the kill. Each start
/// listens on a new ephemeral loopback port.
/// </summary>
internal sealed class KillableFilesServer : IAsyncDisposable
{
    private const string User = FilesServer.User;
    private const string Password = FilesServer.Password;

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _state;
    private SockitProcess _process;

    private KillableFilesServer(DirectoryInfo state, SockitProcess process)
    {
        _state = state;
        _process = process;
    }

    /// <summary>alice's home on the server's disk.</summary>
    public string Home => Path.Combine(DataRoot, User);

    /// <summary>A local folder for the test's own files, removed with the server.</summary>
    public string Local => Path.Combine(_state.FullName, "local");

    /// <summary>The framed address of the running server.</summary>
    public SockitAddress Framed => _process.Endpoint("Framed", AddressScheme.Tcp);

    /// <summary>What a <c>sockit</c> client process needs to reach the running server as alice.</summary>
    public Dictionary<string, string> ClientEnvironment => new()
    {
        ["SOCKIT_SERVER"] = Framed.ToString(),
        ["SOCKIT_USER"] = User,
        ["SOCKIT_PASSWORD"] = Password,
    };

    private string DataRoot => Path.Combine(_state.FullName, "homes");

    public static async Task<KillableFilesServer> StartAsync()
    {
        var state = Directory.CreateTempSubdirectory("sockit-kill-");
        try
        {
            Directory.CreateDirectory(Path.Combine(state.FullName, "local"));
            new UserStore(Path.Combine(state.FullName, "users.json")).Add(User, Password, Permissions.Files);
            return new KillableFilesServer(state, await ServeAsync(state.FullName));
        }
        catch
        {
            state.Delete(recursive: true);
            throw;
        }
    }

    public Task<SockitClient> ConnectAsync() => SockitClient.ConnectAsync(
        Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword(User, Password) });

    /// <summary>SIGKILL, at once and from any thread (a progress callback, say); <see cref="RestartAsync"/> follows.</summary>
    public void Kill() => _process.Signal(SockitProcess.SigKill);

    /// <summary>Waits for the killed server to be gone, then starts it again.</summary>
    public async Task RestartAsync()
    {
        await _process.WaitForExitAsync(ExitTimeout);
        await _process.DisposeAsync();
        _process = await ServeAsync(_state.FullName);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _state.Delete(recursive: true);
    }

    private static Task<SockitProcess> ServeAsync(string state) => SockitProcess.ServeAsync(
    [
        "--listen", "framed=tcp://127.0.0.1:0",
        "--set", $"Sockit:Auth:UsersFile={Path.Combine(state, "users.json")}",
        "--set", "Sockit:Auth:LocalLogin=false",
        "--set", $"Sockit:Files:DataRoot={Path.Combine(state, "homes")}",
    ]);
}
