using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Tests.Sessions;

/// <summary>A request's parts and the output window a client sets with <c>window</c>.</summary>
public sealed class SockitRequestOutputTests
{
    private const string WithWindow = """{"op":"probe","id":1,"window":65536}""";

    [Fact]
    public async Task With_a_window_a_part_waits_until_credit_covers_its_whole_body()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(header: WithWindow);

        await SendPartAsync(request, 65536);
        var second = SendPartAsync(request, 10).AsTask();
        Assert.Equal(65536, (await harness.ReadSentAsync()).Body.Length);
        request.GrantOutput(9);
        await harness.AssertNothingSentAsync();
        Assert.False(second.IsCompleted);
        request.GrantOutput(1);
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(10, (await harness.ReadSentAsync()).Body.Length);
    }

    [Fact]
    public async Task An_abort_ends_a_wait_for_credit_with_OperationCanceledException()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync(header: WithWindow);
        await SendPartAsync(request, 65536);

        var waiting = SendPartAsync(request, 1).AsTask();
        request.Abort(AbortReason.Cancelled);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Without_a_window_parts_need_no_credit()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();

        for (int i = 0; i < 4; i++)
        {
            await SendPartAsync(request, 65536).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(65536, (await harness.ReadSentAsync()).Body.Length);
        }
    }

    [Fact]
    public async Task A_part_body_over_64_KiB_and_a_part_after_the_reply_are_refused()
    {
        await using var harness = new SessionHarness();
        var request = await harness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => SendPartAsync(request, ProtocolInfo.MaxPartBodyLength + 1).AsTask());
        await request.ReplyAsync(new ControlFrame { Kind = "reply", Id = 1 }, SockitJsonContext.Default.ControlFrame);
        await Assert.ThrowsAsync<InvalidOperationException>(() => SendPartAsync(request, 1).AsTask());
        Assert.True(request.HasReplied);
    }

    private static ValueTask SendPartAsync(SockitRequest request, int length) =>
        request.SendPartAsync(new ControlFrame { Kind = "part", Id = 1, DataSize = length }, SockitJsonContext.Default.ControlFrame, new byte[length]);
}
