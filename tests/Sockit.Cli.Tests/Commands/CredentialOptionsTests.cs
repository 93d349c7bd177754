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
    public async Task Login_refuses_a_udp_server()
    {
        var result = await CliHarness.RunAsync(["login", "--udp"]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("not UDP", result.Error, StringComparison.Ordinal);
    }
}
