using System.Text;
using Sockit.Client.Tests.Fakes;
using static Sockit.Client.Tests.Fakes.Streaming;

namespace Sockit.Client.Tests;

/// <summary>Server events: delivery among calls, the per-subscriber queue, unsubscribing.</summary>
public sealed class SockitSubscriptionTests
{
    [Fact]
    public async Task Events_reach_a_subscriber_while_calls_run()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        await using var subscription = await SubscribeAsync(client, connection, "server");
        await using var call = await StartEchoCallAsync(client);
        var callRequest = await connection.ReceiveRequiredAsync();
        var time = client.TimeAsync();
        var timeRequest = await connection.ReceiveRequiredAsync();

        await SendPartAsync(connection, callRequest.Id, "p1");
        await connection.SendAsync("""{"kind":"event","topic":"server","event":"shutting_down","grace_ms":10000}""");
        await connection.SendAsync("""{"kind":"event","topic":"other","event":"ignored"}""");
        await connection.SendAsync($$"""{"op":"time","id":{{timeRequest.Id}},"ok":true,"time":"t"}""");
        await connection.SendAsync($$"""{"op":"echo","id":{{callRequest.Id}},"ok":true,"data_size":0}""");

        var events = subscription.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().Within());
        Assert.Equal("server", events.Current.Topic);
        Assert.Equal("shutting_down", events.Current.Name);
        Assert.Equal(10000, events.Current.Header.GraceMs);
        Assert.False(events.Current.IsLocal);
        Assert.Equal("t", await time.Within());
        Assert.Equal(["p1"], await ReadPartsAsync(call));
        await events.DisposeAsync();
    }

    [Fact]
    public async Task A_subscriber_that_reads_too_slowly_loses_the_newest_events_and_is_told_how_many()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync(
            new SockitClientOptions { EventQueueLength = 2 }, FakeConnection.HelloV2Json);
        await using var _ = client;
        await using var __ = connection;
        await using var subscription = await SubscribeAsync(client, connection, "server");

        for (int i = 1; i <= 5; i++)
        {
            await connection.SendAsync($$"""{"kind":"event","topic":"server","event":"e{{i}}"}""");
        }

        // Frames are routed in order, so once this reply is in, every event before it has been offered.
        var time = client.TimeAsync();
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"time","id":{{request.Id}},"ok":true,"time":"t"}""");
        await time.Within();
        Assert.Equal(3, subscription.Dropped);

        // The queue is read empty before the next event comes, so there is room for the notice and the event.
        var names = new List<string>();
        var events = subscription.GetAsyncEnumerator();
        for (int i = 0; i < 4; i++)
        {
            if (i == 2)
            {
                await connection.SendAsync("""{"kind":"event","topic":"server","event":"e6","data_size":3}""", "six"u8.ToArray());
            }

            Assert.True(await events.MoveNextAsync().AsTask().Within());
            names.Add(events.Current.Name);
            if (events.Current.IsLocal)
            {
                Assert.Equal(3, events.Current.Header.Dropped);
                Assert.Null(events.Current.Topic);
            }
        }

        Assert.Equal(["e1", "e2", SockitEvent.DroppedName, "e6"], names);
        Assert.Equal("six", Encoding.UTF8.GetString(events.Current.Body.Span));
        await events.DisposeAsync();
    }

    [Fact]
    public async Task Disposing_the_last_subscription_of_a_topic_unsubscribes_it()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        var first = await SubscribeAsync(client, connection, "server");
        var second = await SubscribeAsync(client, connection, "server");

        // Another subscription still takes the topic: nothing is sent.
        await first.DisposeAsync();
        await second.DisposeAsync();
        var unsubscribe = await connection.ReceiveRequiredAsync();

        Assert.Equal("""{"op":"unsubscribe","id":3,"topics":["server"]}""", unsubscribe.HeaderJson);
        await connection.SendAsync("""{"op":"unsubscribe","id":3,"ok":true,"topics":[]}""");
        int seen = 0;
        await foreach (var ignored in first)
        {
            seen++;
        }

        Assert.Equal(0, seen);

        var time = client.TimeAsync();
        var request = await connection.ReceiveRequiredAsync();
        Assert.Equal(4, request.Id);
        await connection.SendAsync("""{"op":"time","id":4,"ok":true,"time":"t"}""");
        Assert.Equal("t", await time.Within());
    }
}
