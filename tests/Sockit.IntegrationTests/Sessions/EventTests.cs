using System.Globalization;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Server events: subscribe, publish through the session directory, unsubscribe, shutdown.</summary>
public sealed class EventTests
{
    [Fact]
    public async Task A_subscriber_gets_events_published_through_the_session_directory_and_others_do_not()
    {
        await using var server = await SessionServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();
        await SubscribeAsync(subscriber, "subscribe", ["server"]);

        int queued = Publish(server, "test_event", "abc"u8.ToArray());
        var (frame, body) = await subscriber.ReadFrameAsync();

        Assert.Equal(1, queued);
        Assert.Equal("event", frame.Kind);
        Assert.Equal("server", frame.Topic);
        Assert.Equal("test_event", frame.Event);
        Assert.Null(frame.Id);
        Assert.Null(frame.Op);
        Assert.Null(frame.Ok);
        Assert.Equal("abc"u8.ToArray(), body);
        await bystander.AssertEchoAnsweredAsync(1);
        await subscriber.AssertEchoAnsweredAsync(2);
    }

    [Fact]
    public async Task Unsubscribe_stops_the_events()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await SubscribeAsync(connection, "subscribe", ["server"]);
        await SubscribeAsync(connection, "unsubscribe", ["server"]);

        Assert.Equal(0, Publish(server, "test_event"));

        // Were the event on its way, it would come before this reply.
        await connection.AssertEchoAnsweredAsync(3);
    }

    [Fact]
    public async Task Events_go_out_between_the_frames_of_a_running_request()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await SubscribeAsync(connection, "subscribe", ["server"]);

        await connection.SendFrameAsync(Stream(5, """ "parts":2,"part_size":100,"gated":true"""));
        server.Probe.Open("5/0");
        AssertPart((await connection.ReadFrameAsync()).Header, 5, 0);
        Publish(server, "between");
        Assert.Equal("between", (await connection.ReadFrameAsync()).Header.Event);
        server.Probe.Open("5/1");
        server.Probe.Open("5/end");

        var frames = await connection.ReadUntilFinalAsync(5);
        AssertPart(frames[0].Header, 5, 1);
        AssertOkReply(frames[1].Header, TestStreamOperation.OpName, 5);
    }

    [Fact]
    public async Task Shutdown_tells_subscribers_shutting_down_with_the_grace_period_before_closing()
    {
        await using var server = await SessionServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();
        await SubscribeAsync(subscriber, "subscribe", ["server"]);

        var stopping = server.Server.Server.StopAsync();
        var (notice, _) = await subscriber.ReadFrameAsync();
        var (goodbye, _) = await subscriber.ReadFrameAsync();

        Assert.Equal("event", notice.Kind);
        Assert.Equal("server", notice.Topic);
        Assert.Equal("shutting_down", notice.Event);
        Assert.Equal(2000, notice.GraceMs);
        AssertError(goodbye, "shutting_down", null);
        await subscriber.AssertClosedByServerAsync();
        AssertError((await bystander.ReadFrameAsync()).Header, "shutting_down", null);
        await stopping;
    }

    [Fact]
    public async Task Shutdown_lets_a_running_request_finish_and_send_its_reply_before_shutting_down()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await SubscribeAsync(connection, "subscribe", ["server"]);
        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await server.Probe.WhenStarted("1");

        var stopping = server.Server.Server.StopAsync();
        Assert.Equal("shutting_down", (await connection.ReadFrameAsync()).Header.Event);
        server.Probe.Open("1/end");

        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 1);
        AssertError((await connection.ReadFrameAsync()).Header, "shutting_down", null);
        await connection.AssertClosedByServerAsync();
        await stopping;
    }

    [Fact]
    public async Task A_request_still_running_near_the_end_of_the_grace_period_is_aborted_and_told_shutting_down()
    {
        // The harness's grace period is 2 s: requests are aborted a second before it ends, and the reply has that second.
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await server.Probe.WhenStarted("1");

        var stopping = server.Server.Server.StopAsync();

        var (reply, _) = await connection.ReadFrameAsync();
        AssertError(reply, "shutting_down", 1);
        Assert.Equal(TestStreamOperation.OpName, reply.Op);
        AssertError((await connection.ReadFrameAsync()).Header, "shutting_down", null);
        await connection.AssertClosedByServerAsync();
        Assert.Equal(AbortReason.ShuttingDown, await server.Probe.WhenEnded("1"));
        await stopping;
    }

    [Fact]
    public async Task A_subscriber_too_slow_for_its_events_loses_the_newest_and_hears_how_many_and_Publish_counts_only_the_queued()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        connection.Socket.ReceiveBufferSize = 16 * 1024;
        await SubscribeAsync(connection, "subscribe", ["server"]);

        // The client reads nothing while these go out: once the socket is full the queue fills, then events are lost.
        const int Published = 600;
        var body = new byte[32 * 1024];
        int queued = 0;
        for (int i = 0; i < Published; i++)
        {
            queued += Publish(server, $"e{i}", body);
        }

        Assert.InRange(queued, SockitSession.MaxQueuedEvents, Published - 1);
        var received = new List<int>();
        long dropped = 0;
        while (received.Count < queued)
        {
            var (frame, _) = await connection.ReadFrameAsync();
            if (frame.Event == "dropped")
            {
                Assert.Null(frame.Topic);
                dropped += frame.Dropped!.Value;
            }
            else
            {
                received.Add(int.Parse(frame.Event![1..], CultureInfo.InvariantCulture));
            }
        }

        // The count of what was lost last comes with the next event.
        Assert.Equal(1, Publish(server, "last"));
        while (true)
        {
            var (frame, _) = await connection.ReadFrameAsync();
            if (frame.Event == "last")
            {
                break;
            }

            Assert.Equal("dropped", frame.Event);
            dropped += frame.Dropped!.Value;
        }

        Assert.Equal(Published - queued, dropped);
        Assert.Equal(received.Order(), received);
        Assert.Equal(0, received[0]);
    }

    private static int Publish(SessionServer server, string name, byte[]? body = null) =>
        server.Directory.Publish(
            "server",
            new ServerEvent { Topic = "server", Event = name, DataSize = body?.Length },
            SockitJsonContext.Default.ServerEvent,
            body);

    private static async Task SubscribeAsync(Infrastructure.FrameConnection connection, string op, string[] topics)
    {
        await connection.SendFrameAsync($$"""{"op":"{{op}}","id":70,"topics":["{{string.Join("\",\"", topics)}}"]}""");
        var (reply, _) = await connection.ReadFrameAsync();
        AssertOkReply(reply, op, 70);
        Assert.Equal(op == "subscribe" ? topics : [], reply.Topics);
    }
}
