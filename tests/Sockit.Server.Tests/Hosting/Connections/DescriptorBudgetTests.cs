using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Tests.Hosting.Connections;

public sealed class DescriptorBudgetTests
{
    [Theory]
    [InlineData(1024L, 150, 20_000, 787)] // 1024 - 150 - 87 (a tenth of what is left)
    [InlineData(20_000L, 130, 20_000, 17_883)] // the default limit cannot be met on a 20,000-descriptor machine
    [InlineData(1_048_576L, 130, 20_000, 20_000)] // plenty: the configured limit stands
    [InlineData(256L, 126, 20_000, 66)] // a small limit keeps the 64-descriptor minimum reserve
    [InlineData(100L, 90, 20_000, 1)] // never below one connection
    public void The_connection_limit_fits_under_the_open_file_limit(long softLimit, int inUse, int configured, int expected)
    {
        Assert.Equal(expected, DescriptorBudget.Of(softLimit, inUse).ConnectionLimit(configured));
    }

    [Fact]
    public void Without_an_open_file_limit_the_configured_limit_stands()
    {
        Assert.Equal(20_000, DescriptorBudget.Of(null, 0).ConnectionLimit(20_000));
        Assert.Equal(64, DescriptorBudget.Of(null, 0).CommandLimit(64));
    }

    [Theory]
    [InlineData(20_000L, 130, 64, 64)] // a reserve of 1,987: room for 248 commands, the configured 64 stand
    [InlineData(256L, 126, 64, 8)] // the 64-descriptor reserve: half of it is 8 commands of 4 descriptors
    [InlineData(100L, 90, 64, 8)] // the minimum reserve holds even when connections get only one
    public void Commands_take_at_most_half_of_the_reserve(long softLimit, int inUse, int configured, int expected)
    {
        Assert.Equal(expected, DescriptorBudget.Of(softLimit, inUse).CommandLimit(configured));
    }

    [Theory]
    [InlineData(20_000L, 130, 256, 248)] // a reserve of 1,987: a quarter of it is 248 transfers of 2 descriptors
    [InlineData(1_048_576L, 130, 256, 256)] // plenty: the configured limit stands
    [InlineData(256L, 126, 256, 8)] // the 64-descriptor reserve
    public void Transfers_take_at_most_a_quarter_of_the_reserve(long softLimit, int inUse, int configured, int expected)
    {
        Assert.Equal(expected, DescriptorBudget.Of(softLimit, inUse).TransferLimit(configured));
    }

    [Fact]
    public void Taking_the_budget_here_reads_a_real_limit_and_raises_the_soft_one_to_the_hard_one()
    {
        var budget = DescriptorBudget.Take();

        Assert.NotNull(budget.SoftLimit);
        Assert.Equal(budget.HardLimit, budget.SoftLimit);
        Assert.InRange(budget.InUse, 3, budget.SoftLimit!.Value);
    }
}
