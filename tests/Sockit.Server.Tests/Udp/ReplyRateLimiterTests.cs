using System.Net;
using Sockit.Server.Tests.Auth;
using Sockit.Server.Udp;

namespace Sockit.Server.Tests.Udp;

public sealed class ReplyRateLimiterTests
{
    private static readonly IPAddress Victim = IPAddress.Parse("192.0.2.1");
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_source_gets_its_burst_then_only_the_rate()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 10, ReplyBurst = 5 }, _time);

        int granted = Enumerable.Range(0, 100).Count(_ => limiter.TryTake(Victim));
        _time.Advance(TimeSpan.FromSeconds(1));
        int afterOneSecond = Enumerable.Range(0, 100).Count(_ => limiter.TryTake(Victim));

        Assert.Equal(5, granted);
        Assert.Equal(5, afterOneSecond); // 10 earned, but never more than the burst at once
    }

    [Fact]
    public void Sources_have_budgets_of_their_own()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 1, ReplyBurst = 2 }, _time);

        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.TryTake(Victim)));

        Assert.True(limiter.TryTake(IPAddress.Parse("192.0.2.2")));
    }

    [Fact]
    public void Many_forged_sources_share_one_budget_once_the_table_is_full_and_memory_stays_bounded()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 1, ReplyBurst = 3, MaxTrackedSources = 100 }, _time);
        int granted = 0;

        for (int i = 0; i < 10_000; i++)
        {
            // Each forged source spends its whole burst, so no bucket refills and none can be forgotten.
            var source = new IPAddress(BitConverter.GetBytes(0x0A000000 + i));
            for (int j = 0; j < 3; j++)
            {
                granted += limiter.TryTake(source) ? 1 : 0;
            }
        }

        Assert.Equal(100, limiter.TrackedSources);
        Assert.Equal((100 * 3) + 3, granted);
    }

    [Fact]
    public void Quiet_sources_are_forgotten_to_make_room()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 1, ReplyBurst = 1, MaxTrackedSources = 2 }, _time);
        limiter.TryTake(IPAddress.Parse("192.0.2.1"));
        limiter.TryTake(IPAddress.Parse("192.0.2.2"));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(limiter.TryTake(IPAddress.Parse("192.0.2.3")));
        Assert.True(limiter.TryTake(IPAddress.Parse("192.0.2.4")));
        Assert.Equal(2, limiter.TrackedSources);
    }

    [Fact]
    public void Ipv6_sources_in_one_network_share_one_budget()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 1, ReplyBurst = 3 }, _time);

        int granted = Enumerable.Range(1, 10).Count(i => limiter.TryTake(IPAddress.Parse($"2001:db8:7:7::{i:x}")));

        Assert.Equal(3, granted);
        Assert.True(limiter.TryTake(IPAddress.Parse("2001:db8:7:8::1")));
    }

    [Fact]
    public void A_rate_of_zero_means_no_limit()
    {
        var limiter = new ReplyRateLimiter(new UdpOptions { RepliesPerSecond = 0, ReplyBurst = 1 }, _time);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(limiter.TryTake(Victim)));
    }
}
