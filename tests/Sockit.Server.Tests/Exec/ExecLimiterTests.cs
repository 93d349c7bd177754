using Sockit.Protocol.Errors;
using Sockit.Server.Exec;

namespace Sockit.Server.Tests.Exec;

public sealed class ExecLimiterTests
{
    [Fact]
    public void A_user_at_the_limit_is_refused_until_one_of_their_commands_ends()
    {
        var limiter = new ExecLimiter(new ExecOptions { MaxRunningPerUser = 2, MaxRunning = 10 });
        var first = limiter.Enter("alice");
        using var second = limiter.Enter("alice");

        var busy = Assert.Throws<SockitException>(() => limiter.Enter("alice"));
        using var other = limiter.Enter("bob");
        first.Dispose();
        first.Dispose();
        using var third = limiter.Enter("alice");

        Assert.Equal(SockitErrorCode.ServerBusy, busy.Code);
        Assert.Contains("alice", busy.Message, StringComparison.Ordinal);
        Assert.Equal(3, limiter.Running);
    }

    [Fact]
    public void The_server_limit_counts_every_user()
    {
        var limiter = new ExecLimiter(new ExecOptions { MaxRunningPerUser = 5, MaxRunning = 2 });
        using var a = limiter.Enter("alice");
        using var b = limiter.Enter("bob");

        var busy = Assert.Throws<SockitException>(() => limiter.Enter("carol"));

        Assert.Equal(SockitErrorCode.ServerBusy, busy.Code);
        Assert.Contains("server", busy.Message, StringComparison.Ordinal);
    }
}
