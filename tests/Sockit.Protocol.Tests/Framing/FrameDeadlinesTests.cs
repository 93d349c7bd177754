using Sockit.Protocol.Framing;

namespace Sockit.Protocol.Tests.Framing;

public sealed class FrameDeadlinesTests
{
    [Theory]
    [InlineData(300_000, 1_000)]
    [InlineData(10_000, 1_000)]
    [InlineData(2_000, 500)]
    [InlineData(300, 75)]
    [InlineData(8, 10)]
    public void Resolution_is_a_quarter_of_the_shortest_timeout_between_10_ms_and_1_s(int shortestMs, int expectedMs)
    {
        var resolution = FrameDeadlines.ResolutionFor(
            TimeSpan.FromMilliseconds(shortestMs), Timeout.InfiniteTimeSpan, TimeSpan.FromMinutes(10));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), resolution);
    }

    [Fact]
    public void Only_infinite_timeouts_tick_once_a_second()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), FrameDeadlines.ResolutionFor(Timeout.InfiniteTimeSpan));
    }
}
