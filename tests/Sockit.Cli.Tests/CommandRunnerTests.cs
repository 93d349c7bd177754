using Sockit.Protocol.Errors;

namespace Sockit.Cli.Tests;

public sealed class CommandRunnerTests
{
    public static TheoryData<Exception, int> Failures => new()
    {
        { new SockitConnectionException(SockitErrorCode.ConnectionRefused, "m"), (int)ExitCode.ConnectionRefused },
        { new SockitTimeoutException("m"), (int)ExitCode.Timeout },
        { new SockitTimeoutException("m", SockitErrorCode.IdleTimeout), (int)ExitCode.Timeout },
        { new SockitException(SockitErrorCode.InvalidAddress, "m"), (int)ExitCode.InvalidAddress },
        { new SockitRemoteException(SockitErrorCode.UnknownOp, "m"), (int)ExitCode.ServerError },
        { new SockitRemoteException(SockitErrorCode.ConnectionRefused, "m"), (int)ExitCode.ServerError },
        { new SockitProtocolException(SockitErrorCode.TruncatedFrame, "m"), (int)ExitCode.ProtocolError },
        { new SockitConnectionException(SockitErrorCode.HostNotFound, "m"), (int)ExitCode.HostNotFound },
        { new SockitConnectionException(SockitErrorCode.ConnectionClosed, "m"), (int)ExitCode.NetworkError },
        { new SockitConnectionException(SockitErrorCode.NetworkError, "m"), (int)ExitCode.NetworkError },
        { new SockitException(SockitErrorCode.InvalidArgument, "m"), (int)ExitCode.Usage },
        { new SockitException(new SockitErrorCode("from_the_future"), "m"), (int)ExitCode.Failure },
        { new InvalidOperationException("m"), (int)ExitCode.Failure },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_its_exit_code(Exception exception, int expected)
    {
        Assert.Equal((ExitCode)expected, CommandRunner.ExitCodeFor(exception));
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        var values = Enum.GetValues<ExitCode>().Select(c => (int)c).ToList();

        Assert.Equal(values.Count, values.Distinct().Count());
        Assert.Equal(130, (int)ExitCode.Cancelled);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_without_a_stack_trace()
    {
        var error = new StringWriter();
        var context = new CliContext { Input = TextReader.Null, Output = TextWriter.Null, Error = error };

        int code = await CommandRunner.RunAsync(
            context, _ => throw new InvalidOperationException("it broke\n   at somewhere"), CancellationToken.None);

        Assert.Equal((int)ExitCode.Failure, code);
        Assert.Equal("sockit: unexpected error: it broke at somewhere (InvalidOperationException)\n", error.ToString());
    }
}
