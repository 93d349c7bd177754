using Sockit.Server.Hosting.Connections;
using Sockit.Server.Tests.Auth;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class LogBudgetTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_flood_is_logged_a_few_times_a_second_and_the_next_line_counts_the_rest()
    {
        var budget = new LogBudget(5, _time);

        int logged = Enumerable.Range(0, 1000).Count(_ => budget.TryTake(out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(budget.TryTake(out int unlogged));

        Assert.Equal(5, logged);
        Assert.Equal(995, unlogged);
    }

    [Fact]
    public void Occasional_events_are_all_logged()
    {
        var budget = new LogBudget(5, _time);

        for (int i = 0; i < 20; i++)
        {
            Assert.True(budget.TryTake(out int unlogged));
            Assert.Equal(0, unlogged);
            _time.Advance(TimeSpan.FromMilliseconds(300));
        }
    }
}
