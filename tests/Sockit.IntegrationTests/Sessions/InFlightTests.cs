using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>How many requests with an id may be in flight, and what reusing an id in flight does.</summary>
public sealed class InFlightTests
{
    private static readonly Dictionary<string, string?> TwoInFlight = new() { ["Sockit:MaxRequestsInFlight"] = "2" };

    [Fact]
    public async Task The_hello_announces_protocol_2_and_the_configured_limits()
    {
        await using var server = await SessionServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:MaxRequestsInFlight"] = "5",
            ["Sockit:InputWindow"] = "100000",
        });
        await using var connection = await FrameConnection.OpenAsync(server.Server.Framed, readHello: false);

        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);

        Assert.Equal(2, hello.Protocol);
        Assert.Equal(["parts", "concurrent", "input", "cancel", "events"], hello.Features);
        Assert.Equal(5, hello.MaxInFlight);
        Assert.Equal(100000, hello.InputWindow);
        Assert.Contains(TestStreamOperation.OpName, hello.Ops);
    }

    [Fact]
    public async Task One_request_past_the_limit_gets_too_many_requests_at_once_and_the_connection_goes_on()
    {
        await using var server = await SessionServer.StartAsync(TwoInFlight);
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await connection.SendFrameAsync(Stream(2, """ "gated":true"""));
        await connection.SendFrameAsync(Stream(3, """ "tag":"third","data_size":3"""), "abc"u8.ToArray());
        var (refused, _) = await connection.ReadFrameAsync();

        AssertError(refused, "too_many_requests", 3);
        Assert.Equal(TestStreamOperation.OpName, refused.Op);
        Assert.False(server.Probe.HasStarted("third"));

        // Requests without an id never count; the refused request's body was skipped.
        await connection.AssertEchoAnsweredAsync(id: null);
        AssertError((await SendEchoAsync(connection, 4)).Header, "too_many_requests", 4);

        // A slot freed is a slot to use.
        await connection.SendFrameAsync("""{"kind":"cancel","id":1}""");
        AssertError((await connection.ReadFrameAsync()).Header, "cancelled", 1);
        await server.Probe.WhenEnded("1");
        await connection.AssertEchoAnsweredAsync(5);
        server.Probe.Open("2/end");
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 2);
    }

    [Fact]
    public async Task A_duplicate_id_in_flight_gets_duplicate_id_without_the_id_and_the_first_request_is_undisturbed()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "parts":1,"part_size":4,"gated":true"""));
        await connection.SendFrameAsync(Stream(1, """ "tag":"dup","data_size":3"""), "abc"u8.ToArray());
        var (duplicate, _) = await connection.ReadFrameAsync();

        AssertError(duplicate, "duplicate_id", null);
        Assert.Equal(TestStreamOperation.OpName, duplicate.Op);
        Assert.False(server.Probe.HasStarted("dup"));
        await connection.AssertEchoAnsweredAsync(2);

        server.Probe.Open("1/0");
        server.Probe.Open("1/end");
        var frames = await connection.ReadUntilFinalAsync(1);
        AssertPart(frames[0].Header, 1, 0);
        AssertOkReply(frames[1].Header, TestStreamOperation.OpName, 1);
        Assert.Equal(AbortReason.None, await server.Probe.WhenEnded("1"));
    }

    [Fact]
    public async Task An_id_may_be_reused_as_soon_as_its_final_reply_has_arrived()
    {
        await using var server = await SessionServer.StartAsync(new Dictionary<string, string?> { ["Sockit:MaxRequestsInFlight"] = "1" });
        await using var connection = await server.ConnectAsync();

        // The id is in flight until its reply is sent, not a moment longer: a client may reuse it (or its slot) at once.
        for (int round = 0; round < 200; round++)
        {
            await connection.SendFrameAsync(Stream(1, $$""" "tag":"r{{round}}","gated":true"""));
            server.Probe.Open($"r{round}/end");
            var (reply, _) = await connection.ReadFrameAsync();
            AssertOkReply(reply, TestStreamOperation.OpName, 1);
        }
    }

    [Fact]
    public async Task An_id_is_free_again_once_answered_even_when_the_operation_ends_beside_the_loop()
    {
        await using var server = await SessionServer.StartAsync(new Dictionary<string, string?> { ["Sockit:MaxRequestsInFlight"] = "1" });
        await using var connection = await server.ConnectAsync();

        // The operation finishes on another thread while the loop lets it run on by itself: whichever comes first,
        // the id must not stay in flight after its reply.
        for (int round = 0; round < 2000; round++)
        {
            await connection.SendFrameAsync(Stream(1, """ "yield":true"""));
            var (reply, _) = await connection.ReadFrameAsync();
            AssertOkReply(reply, TestStreamOperation.OpName, 1);
        }
    }

    private static async Task<(WireFrame Header, byte[] Body)> SendEchoAsync(FrameConnection connection, long id)
    {
        await connection.SendFrameAsync($$"""{"op":"echo","id":{{id}},"data_size":2}""", "hi"u8.ToArray());
        return await connection.ReadFrameAsync();
    }
}
