using System.Text;
using Sockit.Server.Tests.Auth;
using Sockit.Server.Time;
using Sockit.Server.Udp;

namespace Sockit.Server.Tests.Time;

public sealed class TimeDatagramHandlerTests
{
    private readonly TimeDatagramHandler _handler = new(new ManualTimeProvider());
    private readonly byte[] _scratch = new byte[UdpLimits.MaxDatagram];

    [Theory]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("%c")]
    [InlineData("%Q")]
    [InlineData("%c%c%c%c%c%c")]
    public void A_short_request_never_gets_more_than_the_minimum_cap(string format)
    {
        var reply = _handler.Handle(Encoding.UTF8.GetBytes(format), _scratch);

        Assert.InRange(reply.Length, 1, TimeDatagramHandler.MinReplyCap);
    }

    [Theory]
    [InlineData("%c", 2729)]
    [InlineData("%A%B%Z", 1000)]
    [InlineData("%c", 30_000)]
    public void A_format_that_expands_gets_an_error_no_larger_than_twice_the_request(string directive, int count)
    {
        var request = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(directive, count)));

        var reply = Encoding.UTF8.GetString(_handler.Handle(request, _scratch).Span);

        Assert.StartsWith("error: ", reply, StringComparison.Ordinal);
        Assert.True(reply.Length <= 2 * request.Length, $"{reply.Length} bytes for a {request.Length}-byte request");
    }

    [Fact]
    public void A_request_with_room_gets_its_time()
    {
        var request = Encoding.UTF8.GetBytes("%Y " + new string(' ', 200));

        var reply = Encoding.UTF8.GetString(_handler.Handle(request, _scratch).Span);

        Assert.StartsWith("2026 ", reply, StringComparison.Ordinal);
    }
}
