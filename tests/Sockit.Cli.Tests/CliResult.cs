namespace Sockit.Cli.Tests;

/// <summary>How a <c>sockit</c> run ended and what it printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>
    /// Asserts the run failed with <paramref name="expected"/> and said so in exactly one line on standard error,
    /// without anything that looks like an exception dump.
    /// </summary>
    public string AssertOneLineFailure(ExitCode expected)
    {
        Assert.Equal((int)expected, ExitCode);
        Assert.EndsWith("\n", Error, StringComparison.Ordinal);
        var line = Error[..^1];
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.StartsWith("sockit: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        return line;
    }
}
