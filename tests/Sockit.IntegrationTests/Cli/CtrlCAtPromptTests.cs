using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Tls;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Cli;

/// <summary>One Ctrl+C at any question <c>sockit</c> asks at a terminal ends it at once: a new line, one notice, exit 130.</summary>
public sealed class CtrlCAtPromptTests : IDisposable
{
    private const int Cancelled = 130;

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("sockit-test-home-");

    private Dictionary<string, string> Environment => new() { ["XDG_CONFIG_HOME"] = _home.FullName };

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public async Task At_the_new_password_prompt_of_user_passwd()
    {
        var store = Path.Combine(_home.FullName, "users.json");
        var before = new UserStore(store).Add("bob", "old password", Permissions.None).Password!;

        await AssertCancelledAtAsync("Password:", ["user", "passwd", "bob", "--store", store]);

        Assert.Equal(before.StoredKey, new UserStore(store).Find("bob")!.Password!.StoredKey);
    }

    [Fact]
    public async Task At_the_login_password_prompt_of_whoami()
    {
        await using var server = await TestServer.StartAsync();

        await AssertCancelledAtAsync($"Password for bob at {server.Framed}:", ["whoami", "-s", server.Framed.ToString(), "--user", "bob"]);
    }

    [Fact]
    public async Task At_the_question_whether_to_trust_an_unknown_certificate()
    {
        using var files = new TlsFiles();
        var certificate = files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await AssertCancelledAtAsync("[y/N]", ["echo", "hi", "-s", server.Tls.ToString()]);

        Assert.False(File.Exists(Path.Combine(_home.FullName, "sockit", "known_hosts")));
    }

    [Fact]
    public async Task At_the_interactive_prompt_of_echo()
    {
        await using var server = await TestServer.StartAsync();

        await AssertCancelledAtAsync(">>:", ["echo", "-s", server.Framed.ToString()]);
    }

    private async Task AssertCancelledAtAsync(string prompt, string[] arguments)
    {
        await using var terminal = await TmuxSession.StartAsync(arguments, Environment);
        await terminal.WaitForTextAsync(prompt);

        await terminal.SendKeysAsync("C-c");

        Assert.Equal(Cancelled, await terminal.WaitForExitAsync());
        var screen = await terminal.CaptureAsync();
        var lines = screen.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToArray();
        Assert.True(lines.Length == 2, $"expected the prompt and one notice, got:\n{screen}");
        Assert.EndsWith(prompt, lines[0], StringComparison.Ordinal);
        Assert.Equal("sockit: cancelled", lines[1]);
    }
}
