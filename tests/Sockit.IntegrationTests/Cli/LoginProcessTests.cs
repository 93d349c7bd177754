using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Cli;

/// <summary>Logging in with the real <c>sockit</c> command, as a newcomer would: local key, password, key file, saved login.</summary>
public sealed class LoginProcessTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("sockit-test-home-");

    private Dictionary<string, string> Environment => new() { ["XDG_CONFIG_HOME"] = _home.FullName };

    private string ConfigFolder => Path.Combine(_home.FullName, "sockit");

    public void Dispose() => _home.Delete(recursive: true);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] arguments) =>
        SockitProcess.RunWithAsync(arguments, Environment, input);

    [Fact]
    public async Task The_same_os_user_is_admin_on_a_local_server_without_typing_anything()
    {
        await using var server = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"], Environment);
        var address = server.Endpoint("Framed", AddressScheme.Tcp).ToString();

        var (exit, output, error) = await RunAsync("", "whoami", "--server", address);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Equal("admin (exec, files, chat, admin)\n", output);
        var keyFile = Path.Combine(ConfigFolder, "local-credentials.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        // Plain echo stays anonymous: it logs in only when asked to.
        (exit, output, _) = await RunAsync("", "echo", "hi", "--server", address);
        Assert.Equal((0, "hi\n"), (exit, output));
    }

    [Fact]
    public async Task Password_key_and_saved_logins_work_and_wrong_ones_fail_in_one_line()
    {
        Assert.Equal(0, (await RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "--permissions", "files")).ExitCode);
        Assert.Equal(0, (await RunAsync("", "user", "add", "deploy", "--no-password")).ExitCode);
        var keyFile = Path.Combine(_home.FullName, "deploy.key");
        Assert.Equal(0, (await RunAsync("", "user", "key", "deploy", "--out", keyFile)).ExitCode);

        await using var server = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"], Environment);
        var address = server.Endpoint("Framed", AddressScheme.Tcp).ToString();

        var password = await RunAsync("correct horse\n", "whoami", "-s", address, "--user", "alice", "--password-stdin");
        Assert.Equal((0, "alice (files)\n", ""), password);

        var wrong = await RunAsync("battery staple\n", "whoami", "-s", address, "--user", "alice", "--password-stdin");
        Assert.Equal(10, wrong.ExitCode);
        Assert.Equal("sockit: server error (auth_failed): wrong user name or credentials\n", wrong.Error);

        var key = await RunAsync("", "whoami", "-s", address, "--user", "deploy", "--key-file", keyFile);
        Assert.Equal((0, "deploy (no permissions)\n", ""), key);

        var login = await RunAsync("correct horse\n", "login", address, "--user", "alice", "--password-stdin");
        Assert.Equal(0, login.ExitCode);
        Assert.StartsWith($"logged in to {address} as alice (files); saved in ", login.Output, StringComparison.Ordinal);
        var saved = Path.Combine(ConfigFolder, "logins.json");
        Assert.DoesNotContain("correct horse", await File.ReadAllTextAsync(saved), StringComparison.Ordinal);

        // The saved login wins over the local admin key, until logout.
        Assert.Equal("alice (files)\n", (await RunAsync("", "whoami", "-s", address)).Output);
        Assert.Equal(0, (await RunAsync("", "logout", address)).ExitCode);
        Assert.Equal("admin (exec, files, chat, admin)\n", (await RunAsync("", "whoami", "-s", address)).Output);
    }

    [Fact]
    public async Task A_key_logs_in_whether_user_key_wrote_it_with_out_or_to_standard_output()
    {
        Assert.Equal(0, (await RunAsync("", "user", "add", "ci", "--no-password", "--permissions", "files")).ExitCode);
        var written = Path.Combine(_home.FullName, "ci.key");
        var (outExit, _, _) = await RunAsync("", "user", "key", "ci", "--out", written);
        var (printExit, printed, notice) = await RunAsync("", "user", "key", "ci");

        // What a shell redirect with a private umask makes of standard output: the key line and nothing else.
        var redirected = Path.Combine(_home.FullName, "ci-redirected.key");
        await File.WriteAllTextAsync(redirected, printed);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(redirected, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var server = await SockitProcess.ServeAsync(["--listen", "framed=tcp://127.0.0.1:0"], Environment);
        var address = server.Endpoint("Framed", AddressScheme.Tcp).ToString();

        Assert.Equal((0, 0), (outExit, printExit));
        Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("shown once", notice, StringComparison.Ordinal);
        Assert.Equal((0, "ci (files)\n", ""), await RunAsync("", "whoami", "-s", address, "--key-file", written));
        Assert.Equal((0, "ci (files)\n", ""), await RunAsync("", "whoami", "-s", address, "--user", "ci", "--key-file", redirected));
    }

    [Fact]
    public async Task A_newcomer_serves_tls_on_a_network_address_and_logs_in_from_another_shell()
    {
        var certs = Path.Combine(_home.FullName, "certs");
        Assert.Equal(0, (await RunAsync("", "cert", "127.0.0.1", "--out", certs)).ExitCode);
        Assert.Equal(0, (await RunAsync("", "cert", "127.0.0.1", "--out", Path.Combine(certs, "other"))).ExitCode);
        Assert.Equal(0, (await RunAsync("correct horse\n", "user", "add", "alice", "--password-stdin", "-p", "exec")).ExitCode);

        await using var server = await SockitProcess.ServeAsync(
            ["--listen", "framed=tls://127.0.0.1:0", "--cert", Path.Combine(certs, "127.0.0.1.crt"), "--key", Path.Combine(certs, "127.0.0.1.key")],
            Environment);
        var address = server.Endpoint("Framed", AddressScheme.Tls).ToString();

        // First contact from a script: trusted on purpose, remembered in known_hosts.
        var first = await RunAsync("correct horse\n", "whoami", "-s", address, "--accept-new", "--user", "alice", "--password-stdin");
        Assert.Equal((0, "alice (exec)\n", ""), first);

        var wrong = await RunAsync("wrong\n", "whoami", "-s", address, "--user", "alice", "--password-stdin");
        Assert.Equal(10, wrong.ExitCode);
        Assert.Single(wrong.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // The same address with another certificate: a loud refusal, before any password is sent.
        Assert.Equal(0, await server.TerminateAsync());
        await using var impostor = await SockitProcess.ServeAsync(
            ["--listen", $"framed={address}", "--cert", Path.Combine(certs, "other", "127.0.0.1.crt"), "--key", Path.Combine(certs, "other", "127.0.0.1.key")],
            Environment);
        var changed = await RunAsync("correct horse\n", "whoami", "-s", address, "--user", "alice", "--password-stdin");
        Assert.Equal(11, changed.ExitCode);
        Assert.Contains("CHANGED", changed.Error, StringComparison.Ordinal);
    }
}
