using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Tests.Hosting.Transport;

public sealed class PinnedBlockPoolTests
{
    [Theory]
    [InlineData(-1, 4096)]
    [InlineData(1, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(65536, 65536)]
    [InlineData(65537, 131072)]
    [InlineData(200_000, 200_000)]
    public void A_block_is_the_power_of_two_that_holds_the_request(int asked, int length)
    {
        using var pool = new PinnedBlockPool();
        using var block = pool.Rent(asked);

        Assert.Equal(length, block.Memory.Length);
    }

    [Fact]
    public void A_returned_block_is_reused_and_counted()
    {
        using var pool = new PinnedBlockPool();
        var first = pool.Rent(8192);
        Assert.Equal(8192, pool.RentedBytes);
        var array = ((PinnedBlock)first).Array;
        first.Dispose();

        Assert.Equal(0, pool.RentedBytes);
        Assert.Equal(8192, pool.KeptBytes);
        Assert.Same(array, ((PinnedBlock)pool.Rent(5000)).Array);
    }

    [Fact]
    public void The_pool_keeps_no_more_than_its_bound_of_each_size()
    {
        using var pool = new PinnedBlockPool();
        var blocks = Enumerable.Range(0, (PinnedBlockPool.KeptBytesPerSize / PinnedBlockPool.LargestBlock) + 10)
            .Select(_ => pool.Rent(PinnedBlockPool.LargestBlock)).ToList();
        blocks.ForEach(block => block.Dispose());

        Assert.Equal(PinnedBlockPool.KeptBytesPerSize, pool.KeptBytes);
    }

    [Fact]
    public void Disposing_drops_what_it_keeps_and_blocks_still_work_afterwards()
    {
        var pool = new PinnedBlockPool();
        pool.Rent(4096).Dispose();
        var held = pool.Rent(4096);

        pool.Dispose();
        held.Dispose();
        using var late = pool.Rent(4096);

        Assert.Equal(0, pool.KeptBytes);
        Assert.Equal(4096, late.Memory.Length);
    }
}
