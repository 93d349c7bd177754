using System.Net.Sockets;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>A request's <c>window</c>: the server sends that many bytes of parts, then waits for the client's credit.</summary>
public sealed class BackPressureTests
{
    private const string FourLargeParts = """ "window":65536,"parts":4,"part_size":65536""";

    [Fact]
    public async Task A_request_with_a_window_stops_until_credit_comes_while_other_requests_are_answered()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, FourLargeParts));
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);

        // Had the server not stopped, the other parts would be ahead of this reply.
        for (int seq = 1; seq < 4; seq++)
        {
            await connection.AssertEchoAnsweredAsync(100 + seq);
            await connection.SendFrameAsync("""{"kind":"window","id":1,"credit":65536}""");
            var (part, body) = await connection.ReadFrameAsync();
            AssertPart(part, 1, seq);
            Assert.Equal(65536, body.Length);
        }

        // The final reply has no body, so it needs no credit.
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 1);
    }

    [Fact]
    public async Task Credit_adds_up_and_a_part_waits_until_there_is_enough_for_its_whole_body()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, FourLargeParts));
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);
        await connection.SendFrameAsync("""{"kind":"window","id":1,"credit":65535}""");
        await connection.AssertEchoAnsweredAsync(2);
        await connection.SendFrameAsync("""{"kind":"window","id":1,"credit":1}""");

        AssertPart((await connection.ReadFrameAsync()).Header, 1, 1);
        await connection.AssertEchoAnsweredAsync(3);
    }

    [Fact]
    public async Task A_request_out_of_credit_when_the_client_half_closes_is_cancelled_and_the_connection_closes()
    {
        // A half-closed client can grant no more: waiting would hold the request (and a command it runs) for ever.
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendFrameAsync(Stream(1, FourLargeParts));
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);

        connection.Socket.Shutdown(SocketShutdown.Send);

        AssertError((await connection.ReadFrameAsync()).Header, "cancelled", 1);
        await connection.AssertClosedByServerAsync();
        Assert.Equal(AbortReason.Cancelled, await server.Probe.WhenEnded("1"));
    }

    [Fact]
    public async Task A_request_with_credit_left_when_the_client_half_closes_runs_to_its_end()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendFrameAsync(Stream(1, FourLargeParts));
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);
        await connection.SendFrameAsync("""{"kind":"window","id":1,"credit":196608}""");

        connection.Socket.Shutdown(SocketShutdown.Send);
        var frames = await connection.ReadUntilFinalAsync(1);

        Assert.Equal(4, frames.Count);
        AssertOkReply(frames[^1].Header, TestStreamOperation.OpName, 1);
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task A_request_waiting_for_credit_can_be_cancelled()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, FourLargeParts));
        AssertPart((await connection.ReadFrameAsync()).Header, 1, 0);
        await connection.SendFrameAsync("""{"kind":"cancel","id":1}""");

        AssertError((await connection.ReadFrameAsync()).Header, "cancelled", 1);
        Assert.Equal(AbortReason.Cancelled, await server.Probe.WhenEnded("1"));
    }

    [Fact]
    public async Task Without_a_window_parts_are_limited_only_by_the_connection()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "parts":8,"part_size":65536"""));
        var frames = await connection.ReadUntilFinalAsync(1);

        Assert.Equal(9, frames.Count);
        Assert.All(frames[..^1], frame => Assert.Equal(65536, frame.Body.Length));
    }
}
