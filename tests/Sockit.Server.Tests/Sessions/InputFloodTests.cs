namespace Sockit.Server.Tests.Sessions;

/// <summary>An attacker who fills a request's input window with the smallest frames it can send.</summary>
public sealed class InputFloodTests
{
    [Fact]
    public async Task A_window_of_one_byte_input_frames_is_packed_into_a_few_blocks_not_one_buffer_per_frame()
    {
        const int Window = 65536;
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: Window);

        for (int i = 0; i < Window; i++)
        {
            await harness.AcceptInputAsync(request, [(byte)i]);
        }

        // 4 KiB blocks: 16 of them hold the window; one buffer per frame would be 65,536.
        Assert.InRange(request.InputBlockCount, 1, (Window / 4096) + 1);

        var read = new byte[Window];
        int total = 0;
        while (total < Window)
        {
            total += await request.ReadInputAsync(read.AsMemory(total));
        }

        Assert.All(Enumerable.Range(0, Window), i => Assert.Equal((byte)i, read[i]));
    }

    [Fact]
    public async Task Input_read_as_it_arrives_in_small_frames_comes_out_whole_and_in_order()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(inputWindow: 65536);
        var buffer = new byte[3];

        for (int i = 0; i < 5000; i++)
        {
            await harness.AcceptInputAsync(request, [(byte)i, (byte)(i + 1)]);
            int count = await request.ReadInputAsync(buffer.AsMemory(0, 2));
            Assert.Equal(2, count);
            Assert.Equal((byte)i, buffer[0]);
            Assert.Equal((byte)(i + 1), buffer[1]);
        }

        Assert.InRange(request.InputBlockCount, 0, 2);
    }
}
