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
    [InlineData("", "sockit")]
    [InlineData("frobnicate", "sockit")]
    [InlineData("echo --bogus hi", "sockit echo")]
    [InlineData("echo --timeout -1 hi", "sockit echo")]
    [InlineData("echo --timeout soon hi", "sockit echo")]
    [InlineData("time %H %M", "sockit time")]
    [InlineData("serve --log-level Loud", "sockit serve")]
    [InlineData("user add --iterations 5 bob", "sockit user add")]
    public async Task Usage_errors_exit_2_with_one_line_pointing_at_the_verbs_help(string commandLine, string verb)
    {
        var result = await CliHarness.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var line = result.AssertOneLineFailure(ExitCode.Usage);
        Assert.EndsWith($"(see '{verb} --help')", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_bad_log_level_lists_the_levels_in_one_line_and_any_case_is_accepted()
    {
        var bad = await CliHarness.RunAsync(["serve", "--log-level", "Loud"]);
        var help = await CliHarness.RunAsync(["serve", "--log-level", "warning", "--help"]);

        Assert.Equal(
            "sockit: --log-level takes one of Trace, Debug, Information, Warning, Error, Critical, None, not 'Loud' (see 'sockit serve --help')",
            bad.AssertOneLineFailure(ExitCode.Usage));
        Assert.Equal(0, help.ExitCode);
    }

    [Theory]
    [InlineData("whoami")]
    [InlineData("login")]
    [InlineData("logout")]
    public async Task Verbs_of_the_framed_protocol_only_offer_no_udp(string verb)
    {
        var help = await CliHarness.RunAsync([verb, "--help"]);
        var udp = await CliHarness.RunAsync([verb, "--udp"]);

        Assert.Equal(0, help.ExitCode);
        Assert.DoesNotContain("udp", help.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--server", help.Output, StringComparison.Ordinal);
        Assert.Contains($"(see 'sockit {verb} --help')", udp.AssertOneLineFailure(ExitCode.Usage), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whoami", "-s", "udp://127.0.0.1:9000")]
    [InlineData("login", "udp://127.0.0.1:9000")]
    [InlineData("logout", "udp://127.0.0.1:9000")]
    public async Task A_udp_address_for_a_framed_only_verb_is_refused(params string[] args)
    {
        var result = await CliHarness.RunAsync(args);

        Assert.Contains("speaks the framed protocol, not UDP", result.AssertOneLineFailure(ExitCode.InvalidAddress), StringComparison.Ordinal);
    }
}
