namespace Sockit.Cli.Tests;

public sealed class SockitCommandLineTests
{
    [Fact]
    public async Task Help_lists_the_verbs_and_exits_0()
    {
        var result = await CliHarness.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("echo", result.Output, StringComparison.Ordinal);
        Assert.Contains("time", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("echo --bogus hi")]
    [InlineData("echo --timeout -1 hi")]
    [InlineData("echo --timeout soon hi")]
    [InlineData("time %H %M")]
    public async Task Usage_errors_exit_2_with_one_line(string commandLine)
    {
        var result = await CliHarness.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var line = result.AssertOneLineFailure(ExitCode.Usage);
        Assert.EndsWith("(see 'sockit --help')", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }
}
