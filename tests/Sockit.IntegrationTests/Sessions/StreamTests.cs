using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Protocol 2 at the wire: a request's parts, its input, and the input window.</summary>
public sealed class StreamTests
{
    private static readonly Dictionary<string, string?> SmallInputWindow = new() { ["Sockit:InputWindow"] = "65536" };

    [Fact]
    public async Task Parts_go_out_while_the_operation_runs_in_order_with_kind_op_and_id_and_then_the_final_reply()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "parts":3,"part_size":1000,"gated":true,"data_size":5"""), "hello"u8.ToArray());
        server.Probe.Open("1/0");
        server.Probe.Open("1/1");
        server.Probe.Open("1/2");

        // The operation is still waiting at its last gate: the parts must not wait for the reply.
        for (int seq = 0; seq < 3; seq++)
        {
            var (part, body) = await connection.ReadFrameAsync();
            AssertPart(part, 1, seq);
            Assert.Equal(1000, part.DataSize);
            Assert.Equal(Enumerable.Repeat((byte)seq, 1000), body);
        }

        Assert.False(server.Probe.WhenEnded("1").IsCompleted);
        server.Probe.Open("1/end");
        var (reply, _) = await connection.ReadFrameAsync();

        AssertOkReply(reply, TestStreamOperation.OpName, 1);
        Assert.Equal(3, reply.Parts);
        Assert.Equal(5, reply.BodyBytes);
        Assert.Equal(AbortReason.None, await server.Probe.WhenEnded("1"));
    }

    [Fact]
    public async Task Input_frames_reach_the_operation_in_order_until_end()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(2, """ "echo_input":true"""));
        await connection.SendInputAsync(2, "alpha "u8.ToArray());
        await connection.SendInputAsync(2, "beta "u8.ToArray());
        await connection.SendInputAsync(2, "gamma"u8.ToArray());
        await connection.SendFrameAsync("""{"kind":"end","id":2}""");
        var frames = await connection.ReadUntilFinalAsync(2);

        var parts = frames[..^1];
        Assert.All(parts, frame => Assert.Equal(2, frame.Header.Id));
        for (int i = 0; i < parts.Count; i++)
        {
            AssertPart(parts[i].Header, 2, i, "input");
        }

        Assert.Equal("alpha beta gamma", Encoding.UTF8.GetString([.. parts.SelectMany(frame => frame.Body)]));
        AssertOkReply(frames[^1].Header, TestStreamOperation.OpName, 2);
        Assert.Equal(16, frames[^1].Header.InputBytes);
        Assert.Equal(16, server.Probe.Events.Where(e => e.StartsWith("input:2:", StringComparison.Ordinal)).Sum(e => int.Parse(e[8..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_server_grants_window_credit_as_the_operation_takes_input_so_more_than_one_window_can_be_sent()
    {
        await using var server = await SessionServer.StartAsync(SmallInputWindow);
        await using var connection = await server.ConnectAsync();
        var first = RandomBytes(65536, seed: 1);

        // A whole window before the operation reads any of it: allowed, and no credit yet.
        await connection.SendFrameAsync(Stream(3, """ "echo_input":true,"gated":true"""));
        await connection.SendInputAsync(3, first[..32768]);
        await connection.SendInputAsync(3, first[32768..]);
        server.Probe.Open("3/input");

        // Each grant goes out before the echo of the read that earned it.
        var echoed = new List<byte>();
        long credit = 0;
        while (echoed.Count < first.Length)
        {
            var (frame, body) = await connection.ReadFrameAsync();
            if (frame.Kind == "window")
            {
                Assert.Equal(3, frame.Id);
                Assert.Null(frame.Ok);
                credit += frame.Credit!.Value;
            }
            else
            {
                AssertPart(frame, 3, frame.Seq!.Value, "input");
                echoed.AddRange(body);
            }
        }

        // Credit comes at least each half window read, and never more than was read.
        Assert.InRange(credit, first.Length / 2, first.Length);

        // Only the credit makes this legal: without it, it would be past the window.
        var second = RandomBytes((int)credit, seed: 2);
        await connection.SendInputAsync(3, second);
        await connection.SendFrameAsync("""{"kind":"end","id":3}""");
        server.Probe.Open("3/end");
        var frames = await connection.ReadUntilFinalAsync(3);

        echoed.AddRange(frames.Where(frame => frame.Header.Kind == "part").SelectMany(frame => frame.Body));
        Assert.Equal([.. first, .. second], echoed);
        AssertOkReply(frames[^1].Header, TestStreamOperation.OpName, 3);
        Assert.Equal(first.Length + credit, frames[^1].Header.InputBytes);
    }

    [Fact]
    public async Task Input_past_the_window_gets_flow_control_and_a_close()
    {
        await using var server = await SessionServer.StartAsync(SmallInputWindow);
        await using var connection = await server.ConnectAsync();

        // The operation does not read its input: the client may fill the window, not one byte more.
        await connection.SendFrameAsync(Stream(4, """ "echo_input":true,"gated":true"""));
        await connection.SendInputAsync(4, new byte[65536]);
        await connection.AssertEchoAnsweredAsync(9);
        await connection.SendInputAsync(4, [1]);
        var (error, _) = await connection.ReadFrameAsync();

        AssertError(error, "flow_control", 4);
        await connection.AssertClosedByServerAsync();
        Assert.Equal(AbortReason.Disconnected, await server.Probe.WhenEnded("4"));
    }

    [Fact]
    public async Task Half_closing_ends_the_input_of_running_requests_and_their_replies_still_come()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(5, """ "echo_input":true,"gated":true"""));
        await connection.SendInputAsync(5, "abc"u8.ToArray());
        connection.Socket.Shutdown(SocketShutdown.Send);
        server.Probe.Open("5/input");
        server.Probe.Open("5/end");

        var frames = await connection.ReadUntilFinalAsync(5);

        AssertPart(frames[0].Header, 5, 0, "input");
        Assert.Equal("abc"u8.ToArray(), frames[0].Body);
        AssertOkReply(frames[^1].Header, TestStreamOperation.OpName, 5);
        Assert.Equal(3, frames[^1].Header.InputBytes);
        await connection.AssertClosedByServerAsync();
        Assert.Equal(AbortReason.None, await server.Probe.WhenEnded("5"));
    }

    [Fact]
    public async Task A_multi_frame_exchange_fed_one_byte_at_a_time_is_understood()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        connection.Socket.NoDelay = true;
        byte[] bytes =
        [
            .. RawFrame.Build(Stream(6, """ "parts":1,"part_size":3,"echo_input":true,"data_size":3"""), "xyz"u8.ToArray()),
            .. RawFrame.Build("""{"kind":"input","id":6,"data_size":5}""", "hello"u8.ToArray()),
            .. RawFrame.Build("""{"kind":"input","id":6,"data_size":6}""", " world"u8.ToArray()),
            .. RawFrame.Build("""{"kind":"end","id":6}"""),
            .. RawFrame.Build("""{"op":"echo","id":7,"data_size":5}""", "after"u8.ToArray()),
        ];

        foreach (var b in bytes)
        {
            await connection.SendAsync(new[] { b });
        }

        // The echo may overtake the stream's final reply, which is sent when the operation gets round to it.
        var frames = await connection.ReadUntilFinalsAsync(6, 7);

        var stream = frames.Where(frame => frame.Header.Op == TestStreamOperation.OpName).ToList();
        AssertPart(stream[0].Header, 6, 0);
        Assert.Equal(new byte[3], stream[0].Body);
        Assert.Equal("hello world", Encoding.UTF8.GetString([.. stream[1..^1].SelectMany(frame => frame.Body)]));
        AssertOkReply(stream[^1].Header, TestStreamOperation.OpName, 6);
        Assert.Equal(11, stream[^1].Header.InputBytes);
        Assert.Equal(3, stream[^1].Header.BodyBytes);
        var echo = Assert.Single(frames, frame => frame.Header.Op == "echo");
        AssertOkReply(echo.Header, "echo", 7);
        Assert.Equal("after"u8.ToArray(), echo.Body);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
