using Sockit.Protocol.Errors;
using Sockit.Server.Files;

namespace Sockit.Server.Tests.Files;

public sealed class TransferLimiterTests
{
    [Fact]
    public void One_user_cannot_take_every_slot_and_the_server_limit_counts_every_user()
    {
        var limiter = new TransferLimiter(3, 2);
        using var aliceFirst = limiter.Enter("alice");
        var aliceSecond = limiter.Enter("alice");

        var aliceRefused = Assert.Throws<SockitException>(() => limiter.Enter("alice"));
        using var bob = limiter.Enter("bob");
        var carolRefused = Assert.Throws<SockitException>(() => limiter.Enter("carol"));
        aliceSecond.Dispose();
        aliceSecond.Dispose();
        using var carol = limiter.Enter("carol");

        Assert.Equal((SockitErrorCode.ServerBusy, SockitErrorCode.ServerBusy), (aliceRefused.Code, carolRefused.Code));
        Assert.StartsWith("'alice' already has 2 uploads and downloads in progress", aliceRefused.Message, StringComparison.Ordinal);
        Assert.StartsWith("the server already has 3 uploads and downloads in progress", carolRefused.Message, StringComparison.Ordinal);
        Assert.Equal(3, limiter.Running);
    }
}
