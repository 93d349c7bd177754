using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Tests.Events;

public sealed class SessionEventTests
{
    private static EventFrame Event(int number) => new(FrameWriter.Encode(
        new ServerEvent { Topic = "server", Event = "test", Message = number.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        SockitJsonContext.Default.ServerEvent));

    private static (SockitSession Session, SessionOutput Output, Pipe Pipe) NewSession()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var output = new SessionOutput(pipe.Writer, Timeout.InfiniteTimeSpan);
        return (new SockitSession("test", "127.0.0.1:1", "127.0.0.1", output, new InFlightRequests(4)), output, pipe);
    }

    private static async Task<List<JsonElement>> ReadEventsAsync(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            pipe.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await pipe.Reader.ReadAsync();
        }

        var buffer = result.Buffer;
        var events = new List<JsonElement>();
        while (FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head))
        {
            events.Add(JsonDocument.Parse(Encoding.UTF8.GetString(head.Header.ToArray())).RootElement.Clone());
            buffer = buffer.Slice(head.DataSize);
        }

        return events;
    }

    [Fact]
    public async Task Events_of_other_topics_are_not_queued()
    {
        var (session, output, pipe) = NewSession();
        using (output)
        {
            session.Subscribe(["chat"]);

            Assert.False(session.TryEnqueueEvent("server", Event(1)));
            Assert.True(session.TryEnqueueEvent("chat", Event(2)));
            await session.StopEventsAsync();

            var delivered = Assert.Single(await ReadEventsAsync(pipe));
            Assert.Equal("2", delivered.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task A_subscriber_that_cannot_take_its_events_loses_the_excess_and_hears_how_many()
    {
        var (session, output, pipe) = NewSession();
        using (output)
        {
            session.Subscribe(["server"]);

            // Hold the output as a long reply would: the pump can take at most one event, the queue the next 256.
            await output.EnterAsync();
            const int Sent = SockitSession.MaxQueuedEvents + 100;
            for (int i = 0; i < Sent; i++)
            {
                session.TryEnqueueEvent("server", Event(i));
            }

            output.Exit();
            await session.StopEventsAsync();
            var frames = await ReadEventsAsync(pipe);

            var tests = frames.Where(frame => frame.GetProperty("event").GetString() == "test").ToList();
            var dropped = Assert.Single(frames, frame => frame.GetProperty("event").GetString() == "dropped");
            Assert.InRange(tests.Count, SockitSession.MaxQueuedEvents, SockitSession.MaxQueuedEvents + 1);
            Assert.Equal(Sent - tests.Count, dropped.GetProperty("dropped").GetInt64());
            Assert.False(dropped.TryGetProperty("topic", out _));

            // What got through came in order.
            var numbers = tests.Select(frame => int.Parse(frame.GetProperty("message").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Order(), numbers);
        }
    }

    [Fact]
    public async Task A_subscriber_that_takes_none_of_its_events_for_the_write_deadline_is_reset()
    {
        // A client that never reads: the pipe pushes back after 1 KiB, and nobody drains it.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        using var output = new SessionOutput(pipe.Writer, TimeSpan.FromMilliseconds(200));
        var session = new SockitSession("test", "127.0.0.1:1", "127.0.0.1", output, new InFlightRequests(4));
        var reset = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.AbortConnection = reason => reset.TrySetResult(reason);
        session.Subscribe(["server"]);

        var body = new byte[64 * 1024];
        session.TryEnqueueEvent("server", new EventFrame(FrameWriter.Encode(
            new ServerEvent { Topic = "server", Event = "big", DataSize = body.Length }, SockitJsonContext.Default.ServerEvent, body)));

        var reason = await reset.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("read no reply data", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsubscribing_stops_the_topic()
    {
        var (session, output, _) = NewSession();
        using (output)
        {
            session.Subscribe(["server", "chat"]);
            session.Unsubscribe(["server"]);

            Assert.Equal(["chat"], session.Topics);
            Assert.False(session.IsSubscribed("server"));
            Assert.False(session.TryEnqueueEvent("server", Event(1)));
        }
    }
}
