using Sockit.Server.Files;

namespace Sockit.Server.Tests.Files;

/// <summary>The budget streamed uploads widen their input windows from.</summary>
public sealed class UploadWindowBudgetTests
{
    [Fact]
    public void Windows_are_taken_while_the_budget_lasts_and_a_returned_one_can_be_taken_again()
    {
        var budget = new UploadWindowBudget(250);

        Assert.True(budget.TryTake(100));
        Assert.True(budget.TryTake(100));
        Assert.False(budget.TryTake(100));
        Assert.True(budget.TryTake(50));
        budget.Return(100);
        Assert.True(budget.TryTake(100));
        Assert.False(budget.TryTake(1));
    }

    [Fact]
    public async Task Taken_from_many_threads_at_once_the_budget_is_never_overcommitted()
    {
        var budget = new UploadWindowBudget(1000);
        int taken = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (budget.TryTake(30))
                {
                    Interlocked.Increment(ref taken);
                }
            }
        })));

        Assert.Equal(1000 / 30, taken);
    }
}
