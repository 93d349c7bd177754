using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

/// <summary>The <c>&gt;&gt;&gt;: </c> loop of <c>sockit shell</c> where it needs no command to run.</summary>
public sealed class ShellCommandTests
{
    [Theory]
    [InlineData("quit\nls\n")]
    [InlineData("exit\nls\n")]
    [InlineData("  exit  \nls\n")]
    public async Task Quit_or_exit_leaves_with_0_before_anything_runs(string input)
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["shell", "-s", server.Address], input: input);

        Assert.Equal((0, ">>>: ", ""), (result.ExitCode, result.Output, result.Error));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Empty_lines_are_skipped_and_the_end_of_input_leaves_with_0()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["shell", "-s", server.Address], input: "\n   \n\t\n");

        Assert.Equal((0, ">>>: >>>: >>>: >>>: \n", ""), (result.ExitCode, result.Output, result.Error));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_server_without_remote_commands_ends_the_loop_in_one_line()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["shell", "-s", server.Address, "--no-pty"], input: "ls\nls\n");

        Assert.Contains("without the 'parts' feature", result.AssertOneLineFailure(ExitCode.ServerError), StringComparison.Ordinal);
        Assert.Equal(">>>: ", result.Output);
    }

    [Theory]
    [InlineData("shell --pty --no-pty")]
    [InlineData("shell --encoding klingon")]
    [InlineData("shell --timeout 5")]
    public async Task Usage_errors_exit_2_with_one_line_pointing_at_its_help(string commandLine)
    {
        var result = await CliHarness.RunAsync(commandLine.Split(' '));

        Assert.EndsWith("(see 'sockit shell --help')", result.AssertOneLineFailure(ExitCode.Usage), StringComparison.Ordinal);
    }
}
