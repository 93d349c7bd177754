using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Files;

/// <summary>A test server with an account that may use files (<c>alice</c>, optionally with a quota) and one that may not.</summary>
internal sealed class FilesServer : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "alice password";

    private FilesServer(TestServer server, DirectoryInfo local)
    {
        Server = server;
        Local = local;
    }

    public TestServer Server { get; }

    /// <summary>A local folder for the test's files, removed with the server.</summary>
    public DirectoryInfo Local { get; }

    public static async Task<FilesServer> StartAsync(long? quota = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Sockit:ShutdownTimeout"] = "00:00:03" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = await TestServer.StartAsync(all);
        server.Users.Add(User, Password, Permissions.Files, quota);
        server.Users.Add("runner", "runner password", Permissions.Exec);
        return new FilesServer(server, Directory.CreateTempSubdirectory("sockit-files-local-"));
    }

    public Task<SockitClient> ConnectAsync(string user = User, string password = Password) => SockitClient.ConnectAsync(
        Server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword(user, password) });

    /// <summary>A bare framed connection logged in as <paramref name="user"/>, for tests that write the frames themselves.</summary>
    public async Task<FrameConnection> OpenLoggedInAsync(string user = User, string password = Password)
    {
        var connection = await FrameConnection.OpenAsync(Server.Framed);
        try
        {
            Assert.True((await connection.LoginWithPasswordAsync(user, password)).Ok);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A local file of <paramref name="length"/> pseudo-random bytes.</summary>
    public string MakeFile(string name, int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(Local.FullName, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Local.Delete(recursive: true);
    }
}
