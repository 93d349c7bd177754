using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Requests with an id run at once: their frames interleave, told apart by id, and a quick one is not held back.</summary>
public sealed class InterleavingTests
{
    [Fact]
    public async Task Two_requests_run_at_once_and_their_parts_and_replies_interleave_told_apart_by_id()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var probe = server.Probe;

        await connection.SendTogetherAsync(
            RawFrame.Build(Stream(1, """ "parts":2,"part_size":10,"gated":true""")),
            RawFrame.Build(Stream(2, """ "parts":2,"part_size":20,"gated":true""")));

        // Each step lets exactly one request on; the frame it sends is the next one on the wire.
        probe.Open("2/0");
        AssertPart((await connection.ReadFrameAsync()).Header, 2, 0);
        probe.Open("1/0");
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);
        probe.Open("2/1");
        var (part, body) = await connection.ReadFrameAsync();
        AssertPart(part, 2, 1);
        Assert.Equal(20, body.Length);
        probe.Open("2/end");
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 2);
        probe.Open("1/1");
        (part, body) = await connection.ReadFrameAsync();
        AssertPart(part, 1, 1);
        Assert.Equal(10, body.Length);
        probe.Open("1/end");
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 1);

        Assert.Equal(AbortReason.None, await probe.WhenEnded("1"));
        Assert.Equal(AbortReason.None, await probe.WhenEnded("2"));
    }

    [Fact]
    public async Task A_quick_echo_is_answered_while_a_long_request_runs()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await server.Probe.WhenStarted("1");

        await connection.AssertEchoAnsweredAsync(2);
        await connection.AssertEchoAnsweredAsync(id: null);
        Assert.False(server.Probe.WhenEnded("1").IsCompleted);

        server.Probe.Open("1/end");
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 1);
    }
}
