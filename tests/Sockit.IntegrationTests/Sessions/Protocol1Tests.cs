using Sockit.IntegrationTests.Infrastructure;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>A protocol-1 client sees what protocol 1 promised: one reply per request, in order, one request at a time.</summary>
public sealed class Protocol1Tests
{
    [Fact]
    public async Task Pipelined_echo_and_time_requests_with_and_without_ids_are_answered_in_order()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendTogetherAsync(
            RawFrame.Build("""{"op":"echo","data_size":1}""", "a"u8.ToArray()),
            RawFrame.Build("""{"op":"time","id":5}"""),
            RawFrame.Build("""{"op":"echo","id":6,"upper":true,"data_size":2}""", "bb"u8.ToArray()),
            RawFrame.Build("""{"op":"time"}"""),
            RawFrame.Build("""{"op":"echo","id":-1,"data_size":0}"""),
            RawFrame.Build("""{"op":"nope","id":0}"""),
            RawFrame.Build("""{"op":"echo","id":0,"data_size":1}""", "c"u8.ToArray()));

        (string Op, long? Id, string? Body)[] expected =
        [
            ("echo", null, "a"), ("time", 5, null), ("echo", 6, "BB"), ("time", null, null), ("echo", -1, ""), ("nope", 0, null), ("echo", 0, "c"),
        ];
        foreach (var (op, id, text) in expected)
        {
            var (reply, body) = await connection.ReadFrameAsync();
            Assert.Null(reply.Kind);
            Assert.Equal(op, reply.Op);
            Assert.Equal(id, reply.Id);
            Assert.Equal(op != "nope", reply.Ok);
            if (text is not null)
            {
                Assert.Equal(text, System.Text.Encoding.UTF8.GetString(body));
            }
        }
    }

    [Fact]
    public async Task Requests_without_an_id_never_overlap()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendTogetherAsync(
            RawFrame.Build(Stream(null, """ "tag":"A","gated":true""")),
            RawFrame.Build(Stream(null, """ "tag":"B" """)),
            RawFrame.Build("""{"op":"echo","data_size":1}""", "c"u8.ToArray()));
        await server.Probe.WhenStarted("A");
        Assert.False(server.Probe.HasStarted("B"));
        server.Probe.Open("A/end");

        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, null);
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, null);
        AssertOkReply((await connection.ReadFrameAsync()).Header, "echo", null);
        Assert.Equal(["start:A", "end:A", "start:B", "end:B"], server.Probe.Events);
    }

    [Fact]
    public async Task Requests_with_ids_that_finish_at_once_still_reply_in_order()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendTogetherAsync(Enumerable.Range(1, 50).Select(id => id % 2 == 0
            ? RawFrame.Build($$"""{"op":"echo","id":{{id}},"data_size":1}""", "x"u8.ToArray())
            : RawFrame.Build(Stream(id, """ "parts":1,"part_size":1"""))));

        var frames = await connection.ReadUntilFinalAsync(50);

        Assert.Equal(Enumerable.Range(1, 50).Select(id => (long?)id), frames.Where(frame => frame.Header.Kind is null).Select(frame => frame.Header.Id));
    }
}
