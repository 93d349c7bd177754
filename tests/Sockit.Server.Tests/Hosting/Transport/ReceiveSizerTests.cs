using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Tests.Hosting.Transport;

public sealed class ReceiveSizerTests
{
    [Fact]
    public void Full_receives_double_the_buffer_up_to_the_largest_block()
    {
        var sizer = default(ReceiveSizer);
        var sizes = new List<int>();
        for (int i = 0; i < 7; i++)
        {
            sizes.Add(sizer.Next);
            Assert.True(sizer.Record(sizer.Next, sizer.Next));
        }

        Assert.Equal([4096, 8192, 16384, 32768, 65536, 131072, 131072], sizes);
    }

    [Fact]
    public void A_small_receive_brings_the_buffer_back_to_the_size_that_would_have_held_it()
    {
        var sizer = default(ReceiveSizer);
        for (int i = 0; i < 6; i++)
        {
            sizer.Record(sizer.Next, sizer.Next);
        }

        Assert.False(sizer.Record(40_000, sizer.Next));
        Assert.Equal(65536, sizer.Next);
        Assert.False(sizer.Record(1, sizer.Next));
        Assert.Equal(PinnedBlockPool.SmallestBlock, sizer.Next);
    }

    [Fact]
    public void A_receive_that_fills_more_than_half_keeps_the_size()
    {
        var sizer = default(ReceiveSizer);
        sizer.Record(4096, 4096);

        Assert.False(sizer.Record(5000, 8192));
        Assert.Equal(8192, sizer.Next);
    }
}
