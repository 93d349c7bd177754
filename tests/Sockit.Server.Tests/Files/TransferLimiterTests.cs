using Sockit.Protocol.Errors;
using Sockit.Server.Files;

namespace Sockit.Server.Tests.Files;

public sealed class TransferLimiterTests
{
    [Fact]
    public void Past_the_limit_a_transfer_is_server_busy_until_one_ends()
    {
        var limiter = new TransferLimiter(2);
        using var first = limiter.Enter();
        var second = limiter.Enter();

        var refused = Assert.Throws<SockitException>(() => limiter.Enter());
        second.Dispose();
        second.Dispose();
        using var third = limiter.Enter();

        Assert.Equal(SockitErrorCode.ServerBusy, refused.Code);
        Assert.Equal(2, limiter.Running);
    }
}
