using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

/// <summary>Credentials that cannot work are refused in one line before anything connects.</summary>
public sealed class CredentialOptionsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-cli-creds-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Password_stdin_without_a_user_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync(["echo", "hi", "--password-stdin", "-s", "127.0.0.1:1"], input: "secret\n");

        Assert.Equal((2, "sockit: --password-stdin needs --user NAME\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task An_empty_piped_password_is_refused()
    {
        var result = await CliHarness.RunAsync(["whoami", "--user", "alice", "--password-stdin", "-s", "127.0.0.1:1"], input: "\n");

        Assert.Equal((2, "sockit: --password-stdin read an empty password\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task A_user_without_a_password_source_or_terminal_is_refused_instead_of_hanging()
    {
        var result = await CliHarness.RunAsync(["whoami", "--user", "alice", "-s", "127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no terminal to ask for alice's password", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_key_file_needs_to_be_told_whose_key_it_is()
    {
        var keyFile = Path.Combine(_folder.FullName, "ci.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(new byte[32]));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var result = await CliHarness.RunAsync(["whoami", "--key-file", keyFile, "-s", "127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("say whose with --user NAME", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_credentials_or_a_terminal_says_what_to_pass()
    {
        var result = await CliHarness.RunAsync(["login", "127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--user NAME with --password-stdin, or --key-file FILE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_asked_for_only_once_the_server_has_answered()
    {
        var prompts = new List<string>();
        await using var server = new FakeSockitServer();

        var unreachable = await CliHarness.RunAsync(["whoami", "--user", "alice", "-s", "127.0.0.1:1"], readSecret: Record);
        Assert.Empty(prompts);
        var reachable = await CliHarness.RunAsync(["whoami", "--user", "alice", "-s", server.Address], readSecret: prompt =>
        {
            // Connected, greeted, and nothing sent yet.
            Assert.Equal((1, 0), (server.ConnectionCount, server.Requests.Count));
            return Record(prompt);
        });

        unreachable.AssertOneLineFailure(ExitCode.ConnectionRefused);
        Assert.Equal([$"Password for alice at tcp://{server.Address}: "], prompts);
        Assert.NotEqual(0, reachable.ExitCode);
        Assert.Equal("auth", Assert.Single(server.Requests.ToArray(), r => r.Op == "auth").Op);

        string Record(string prompt)
        {
            prompts.Add(prompt);
            return "secret";
        }
    }

    [Fact]
    public async Task Login_asks_who_only_once_the_server_has_answered()
    {
        var asked = false;

        var result = await CliHarness.RunAsync(
            ["login", "127.0.0.1:1"], readLine: _ => { asked = true; return "alice"; }, readSecret: _ => "secret");

        result.AssertOneLineFailure(ExitCode.ConnectionRefused);
        Assert.False(asked);
    }
}
