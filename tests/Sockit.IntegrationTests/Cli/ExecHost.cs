using Sockit.IntegrationTests.Exec;

namespace Sockit.IntegrationTests.Cli;

/// <summary>
/// A test server that runs commands, and what a <c>sockit</c> process needs to use it: a config folder of its own and
/// a login by environment variables, so that standard input stays the remote command's.
/// </summary>
internal sealed class ExecHost : IAsyncDisposable
{
    private ExecHost(ExecServer server, DirectoryInfo home)
    {
        Server = server;
        Home = home;
    }

    public ExecServer Server { get; }

    /// <summary>The config folder (<c>XDG_CONFIG_HOME</c>); files of the test's own may go there too.</summary>
    public DirectoryInfo Home { get; }

    public static async Task<ExecHost> StartAsync() =>
        new(await ExecServer.StartAsync(), Directory.CreateTempSubdirectory("sockit-test-home-"));

    /// <summary>The environment that logs <c>sockit</c> in as <paramref name="user"/> (anonymous with <see langword="null"/>).</summary>
    public Dictionary<string, string> Environment(string? user = ExecServer.Operator)
    {
        var environment = new Dictionary<string, string>
        {
            ["XDG_CONFIG_HOME"] = Home.FullName,
            ["SOCKIT_SERVER"] = Server.Server.Framed.ToString(),
        };
        if (user is not null)
        {
            environment["SOCKIT_USER"] = user;
            environment["SOCKIT_PASSWORD"] = user == ExecServer.Operator ? ExecServer.OperatorPassword : ExecServer.ViewerPassword;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Home.Delete(recursive: true);
    }
}
