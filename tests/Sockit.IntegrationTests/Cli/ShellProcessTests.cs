using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Exec;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Cli;

/// <summary><c>sockit shell</c>: the tutorials' <c>&gt;&gt;&gt;: </c> loop, piped and at a terminal, and a remote login shell on a terminal.</summary>
public sealed partial class ShellProcessTests : IAsyncLifetime
{
    private ExecHost _host = null!;

    public async Task InitializeAsync() => _host = await ExecHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Piped_lines_run_one_by_one_without_prompts_until_exit()
    {
        var result = await SockitProcess.RunWithAsync(
            ["shell"], _host.Environment(), "echo hi\n\nprintf oops >&2\n  ls /no/such/folder  \nexit\necho never\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hi\n", result.Output);
        Assert.StartsWith("oops", result.Error, StringComparison.Ordinal);
        Assert.Contains("/no/such/folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_a_terminal_without_pty_the_prompt_shows_empty_lines_are_skipped_and_quit_leaves_with_0()
    {
        await using var terminal = await TmuxSession.StartAsync(["shell", "--no-pty"], _host.Environment());
        await terminal.WaitForTextAsync(">>>:");

        await terminal.SendKeysAsync("echo hi", "Enter");
        await terminal.WaitForTextAsync("\nhi\n>>>: ");
        await terminal.SendKeysAsync("Enter");
        await terminal.WaitForTextAsync("\nhi\n>>>: \n>>>: ");
        await terminal.SendKeysAsync("printf 'no newline'", "Enter");
        await terminal.WaitForTextAsync("\nno newline\n>>>: ");
        await terminal.SendKeysAsync("quit", "Enter");

        Assert.Equal(0, await terminal.WaitForExitAsync());
        var lines = (await terminal.CaptureAsync()).Split('\n').Select(line => line.TrimEnd()).ToArray();
        Assert.Equal([">>>: echo hi", "hi", ">>>:", ">>>: printf 'no newline'", "no newline", ">>>: quit"], lines);
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_running_command_only_and_at_the_prompt_leaves_with_130()
    {
        await using var terminal = await TmuxSession.StartAsync(["shell", "--no-pty"], _host.Environment());
        await terminal.WaitForTextAsync(">>>:");
        await terminal.SendKeysAsync("echo pid=$$; sleep 300", "Enter");
        var group = int.Parse(Pid().Match(await terminal.WaitForTextAsync("\npid=")).Groups[1].Value, CultureInfo.InvariantCulture);

        await terminal.SendKeysAsync("C-c");
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
        await terminal.SendKeysAsync("echo still here", "Enter");
        await terminal.WaitForTextAsync("\nstill here\n>>>: ");
        await terminal.SendKeysAsync("C-c");

        Assert.Equal(130, await terminal.WaitForExitAsync());
        var lines = (await terminal.CaptureAsync()).Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToArray();
        Assert.Equal([">>>:", "sockit: cancelled"], lines[^2..]);
    }

    [Fact]
    public async Task With_a_pty_a_remote_login_shell_follows_the_window_gets_ctrl_c_and_its_exit_status_and_the_terminal_is_restored()
    {
        // A real server, found by the local login; its users' shell is sh, with a home of no profile, for a quick start.
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _host.Home.FullName };
        await using var serve = await SockitProcess.ServeAsync(
            ["--listen", "framed=tcp://127.0.0.1:0"],
            new Dictionary<string, string>(environment) { ["SHELL"] = "/bin/sh", ["HOME"] = _host.Home.FullName });
        await using var terminal = await TmuxSession.StartAsync(
            ["shell", "-s", serve.Endpoint("Framed", AddressScheme.Tcp).ToString()], environment, afterwards: "stty -a");

        // The terminal tmux gives is 160x50. Typing may start before the remote shell is up: its terminal keeps the keys.
        await terminal.SendKeysAsync("stty size", "Enter");
        await terminal.WaitForTextAsync("50 160");
        await terminal.ResizeAsync(100, 30);
        await WaitForSizeAsync(terminal, "30 100");

        // Ctrl+C is a key for the remote terminal: it ends cat there, and the remote shell goes on.
        await terminal.SendKeysAsync("echo cat-$((2+3)); cat", "Enter");
        await terminal.WaitForTextAsync("cat-5");
        await terminal.SendKeysAsync("C-c");
        await terminal.SendKeysAsync("echo after-$((6*7))", "Enter");
        await terminal.WaitForTextAsync("after-42");

        await terminal.SendKeysAsync("exit 3", "Enter");

        Assert.Equal(3, await terminal.WaitForExitAsync());
        var settings = await terminal.WaitForTextAsync("speed ");
        Assert.Matches(@"(?<![-\w])icanon\b", settings);
        Assert.Matches(@"(?<![-\w])echo\b", settings);
        Assert.Matches(@"(?<![-\w])isig\b", settings);
    }

    /// <summary>
    /// Runs <c>stty size</c> until it shows <paramref name="size"/>: the resize travels on its own path (a signal, then
    /// a control frame) and may be overtaken by the keys typed right after it.
    /// </summary>
    private static async Task WaitForSizeAsync(TmuxSession terminal, string size)
    {
        string shown = "";
        for (var attempt = 1; attempt <= 5 && shown != size; attempt++)
        {
            // The marker is computed, so the echo of the typed line does not match it.
            await terminal.SendKeysAsync($"stty size; echo sized-$((0+{attempt}))", "Enter");
            var screen = await terminal.WaitForTextAsync($"sized-{attempt}");
            shown = Regex.Match(screen, $@"(\d+ \d+)\nsized-{attempt}").Groups[1].Value;
        }

        Assert.Equal(size, shown);
    }

    [GeneratedRegex(@"\npid=(\d+)")]
    private static partial Regex Pid();
}
