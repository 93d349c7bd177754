using Sockit.Cli.Commands.Remote;
using Sockit.Client.Exec;

namespace Sockit.Cli.Tests.Commands.Remote;

/// <summary>How a remote command's end becomes sockit's exit code, as ssh and coreutils' timeout report it.</summary>
public sealed class ExecOutcomeTests : IDisposable
{
    private readonly StringWriter _error = new();

    public void Dispose() => _error.Dispose();

    private static ExecResult Ended(int? exitCode = null, int? signal = null, bool timedOut = false, bool cancelled = false) =>
        new(exitCode, signal, signal is null ? null : "TERM", timedOut, cancelled, TimeSpan.FromSeconds(1.5), 0, 0, 0);

    private Task<ExitCode> ReportAsync(ExecResult result) =>
        ExecOutcome.ReportAsync(new CliContext { Input = TextReader.Null, Output = TextWriter.Null, Error = _error }, result);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(127)]
    [InlineData(255)]
    public async Task The_exit_code_passes_through_silently(int code)
    {
        Assert.Equal(code, (int)await ReportAsync(Ended(exitCode: code)));
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task A_signal_is_128_plus_its_number()
    {
        Assert.Equal(143, (int)await ReportAsync(Ended(signal: 15)));
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task A_timeout_is_124_with_one_line()
    {
        Assert.Equal(ExitCode.CommandTimedOut, await ReportAsync(Ended(signal: 15, timedOut: true)));
        Assert.Equal("sockit: the remote command timed out after 1.5 s and was ended\n", _error.ToString());
    }

    [Fact]
    public async Task A_cancelled_command_is_130_with_one_line()
    {
        Assert.Equal(ExitCode.Cancelled, await ReportAsync(Ended(signal: 15, cancelled: true)));
        Assert.Equal("sockit: cancelled\n", _error.ToString());
    }
}
