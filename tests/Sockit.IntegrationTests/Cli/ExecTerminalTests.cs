using System.Globalization;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Exec;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Cli;

/// <summary><c>sockit exec</c> at a terminal: typed input reaches the command, Ctrl+C ends it on the server too.</summary>
public sealed partial class ExecTerminalTests : IAsyncLifetime
{
    private ExecHost _host = null!;

    public async Task InitializeAsync() => _host = await ExecHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Ctrl_c_cancels_the_remote_command_ends_its_processes_and_exits_130_with_one_line()
    {
        await using var terminal = await TmuxSession.StartAsync(["exec", "--", "echo pid=$$; sleep 300"], _host.Environment());
        var group = int.Parse(Pid().Match(await terminal.WaitForTextAsync("pid=")).Groups[1].Value, CultureInfo.InvariantCulture);

        await terminal.SendKeysAsync("C-c");

        Assert.Equal(130, await terminal.WaitForExitAsync());
        var lines = (await terminal.CaptureAsync()).Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToArray();
        Assert.Equal("sockit: cancelled", lines[^1]);
        await ProcessGroup.AssertEmptiesAsync(group, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Typed_lines_reach_the_command_until_ctrl_d()
    {
        await using var terminal = await TmuxSession.StartAsync(["exec", "--", "echo ready; cat; echo done"], _host.Environment());
        await terminal.WaitForTextAsync("ready");

        await terminal.SendKeysAsync("hello there", "Enter");
        // Once from the terminal's echo, once from cat.
        await terminal.WaitForTextAsync("hello there\nhello there");
        await terminal.SendKeysAsync("C-d");

        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.EndsWith("done", await terminal.CaptureAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex Pid();
}
