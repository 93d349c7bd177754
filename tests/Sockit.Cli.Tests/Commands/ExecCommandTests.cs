using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

/// <summary><c>sockit exec</c> before and around the server: its command line, and failures in one line.</summary>
public sealed class ExecCommandTests
{
    [Theory]
    [InlineData("exec")]
    [InlineData("exec --")]
    [InlineData("exec --env NAME ls")]
    [InlineData("exec --env =x ls")]
    [InlineData("exec --encoding klingon ls")]
    [InlineData("exec --timeout 0 sleep 1")]
    [InlineData("exec --timeout soon sleep 1")]
    [InlineData("exec --connect-timeout -1 ls")]
    [InlineData("exec --bogus ls")]
    public async Task Usage_errors_exit_2_with_one_line_pointing_at_its_help(string commandLine)
    {
        var result = await CliHarness.RunAsync(commandLine.Split(' '));

        Assert.EndsWith("(see 'sockit exec --help')", result.AssertOneLineFailure(ExitCode.Usage), StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task An_unknown_encoding_is_named_with_some_that_exist()
    {
        var result = await CliHarness.RunAsync(["exec", "--encoding", "klingon", "ls"]);

        Assert.StartsWith("sockit: --encoding: no encoding is called 'klingon' (try utf-8, gbk", result.AssertOneLineFailure(ExitCode.Usage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_after_the_first_word_belong_to_the_remote_command()
    {
        int port;
        await using (var server = new FakeSockitServer())
        {
            port = server.Port;
        }

        // Were -s taken for sockit's own, it would try a server named x.
        var result = await CliHarness.RunAsync(
            ["exec", "grep", "-s", "x", "-t"], environment: new Dictionary<string, string> { ["SOCKIT_SERVER"] = $"127.0.0.1:{port}" });

        Assert.Equal($"sockit: connection refused by 127.0.0.1:{port}: is the server running?", result.AssertOneLineFailure(ExitCode.ConnectionRefused));
    }

    [Fact]
    public async Task A_server_without_remote_commands_is_one_line_and_exit_6()
    {
        await using var server = new FakeSockitServer();

        var result = await CliHarness.RunAsync(["exec", "-s", server.Address, "--", "ls", "-l"]);

        var line = result.AssertOneLineFailure(ExitCode.ServerError);
        Assert.Equal($"sockit: 127.0.0.1:{server.Port} speaks protocol 1 without the 'parts' feature, which a streamed call needs", line);
    }

    [Fact]
    public async Task Help_shows_the_remote_timeout_and_the_terminal_and_the_connect_timeout_apart()
    {
        var result = await CliHarness.RunAsync(["exec", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--timeout <SECONDS>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--connect-timeout <SECONDS>", result.Output, StringComparison.Ordinal);
        Assert.Contains("-t, --pty", result.Output, StringComparison.Ordinal);
        Assert.Contains("-e, --env <NAME=VALUE>", result.Output, StringComparison.Ordinal);
    }
}
