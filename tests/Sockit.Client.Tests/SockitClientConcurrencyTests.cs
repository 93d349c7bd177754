using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using static Sockit.Client.Tests.Fakes.Streaming;

namespace Sockit.Client.Tests;

/// <summary>Many requests on one connection against a protocol 2 server: routing by id, slots, failures.</summary>
public sealed class SockitClientConcurrencyTests
{
    [Fact]
    public async Task Concurrent_one_line_calls_from_many_tasks_each_get_their_own_reply()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        const int Calls = 32;
        const int MaxInFlight = 4;

        var calls = Enumerable.Range(0, Calls)
            .Select(i => Task.Run(() => client.TimeAsync($"f{i}")))
            .ToArray();

        // The server takes the hello's max_in_flight requests, then answers them newest first.
        var seenIds = new HashSet<long>();
        for (int batch = 0; batch < Calls / MaxInFlight; batch++)
        {
            var requests = new List<ReceivedFrame>();
            for (int i = 0; i < MaxInFlight; i++)
            {
                requests.Add(await connection.ReceiveRequiredAsync());
            }

            Assert.Equal(MaxInFlight, client.RequestsInFlight);
            foreach (var request in Enumerable.Reverse(requests))
            {
                Assert.True(seenIds.Add(request.Id));
                string format = request.Header.GetProperty("format").GetString()!;
                await connection.SendAsync($$"""{"op":"time","id":{{request.Id}},"ok":true,"time":"at {{format}}"}""");
            }
        }

        var times = await Task.WhenAll(calls).Within();
        Assert.Equal(Enumerable.Range(0, Calls).Select(i => $"at f{i}"), times);
        Assert.Equal(0, client.RequestsInFlight);
    }

    [Fact]
    public async Task Interleaved_parts_of_two_calls_reach_their_own_calls()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var first = await StartEchoCallAsync(client);
        await using var second = await StartEchoCallAsync(client);
        var a = await connection.ReceiveRequiredAsync();
        var b = await connection.ReceiveRequiredAsync();

        await SendPartAsync(connection, a.Id, "a1");
        await SendPartAsync(connection, b.Id, "b1");
        await SendPartAsync(connection, a.Id, "a2");
        await SendPartAsync(connection, b.Id, "b2");
        await connection.SendAsync($$"""{"op":"echo","id":{{b.Id}},"ok":true,"data_size":1}""", "B"u8.ToArray());
        await SendPartAsync(connection, a.Id, "a3");
        await connection.SendAsync($$"""{"op":"echo","id":{{a.Id}},"ok":true,"data_size":1}""", "A"u8.ToArray());

        Assert.Equal(["b1", "b2"], await ReadPartsAsync(second));
        Assert.Equal("B", await ReadReplyBodyAsync(second));
        Assert.Equal(["a1", "a2", "a3"], await ReadPartsAsync(first));
        Assert.Equal("A", await ReadReplyBodyAsync(first));
    }

    [Fact]
    public async Task A_slow_consumer_of_one_call_does_not_block_another_call()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        var smallWindow = new SockitCallOptions { OutputWindow = 16 };

        await using var slow = await StartEchoCallAsync(client, smallWindow);
        var slowRequest = await connection.ReceiveRequiredAsync();
        Assert.Equal(16, slowRequest.Header.GetProperty("window").GetInt64());

        // The slow call's window is full and nobody reads its parts...
        await SendPartAsync(connection, slowRequest.Id, "01234567");
        await SendPartAsync(connection, slowRequest.Id, "89abcdef");

        // ...yet another call and a one-line request go through.
        await using var fast = await StartEchoCallAsync(client);
        var fastRequest = await connection.ReceiveRequiredAsync();
        var time = client.TimeAsync();
        var timeRequest = await connection.ReceiveRequiredAsync();
        await SendPartAsync(connection, fastRequest.Id, "fast");
        await connection.SendAsync($$"""{"op":"echo","id":{{fastRequest.Id}},"ok":true,"data_size":0}""");
        await connection.SendAsync($$"""{"op":"time","id":{{timeRequest.Id}},"ok":true,"time":"now"}""");

        Assert.Equal("now", await time.Within());
        Assert.Equal(["fast"], await ReadPartsAsync(fast));

        // Reading the slow call's first part and moving on gives half its window back.
        var parts = slow.Frames.GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        Assert.Equal("01234567", Encoding.UTF8.GetString(parts.Current.Body.Span));
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        var grant = await connection.ReceiveRequiredAsync();
        Assert.Equal($$"""{"kind":"window","id":{{slowRequest.Id}},"credit":8}""", grant.HeaderJson);
        await parts.DisposeAsync();
    }

    [Fact]
    public async Task A_server_that_sends_more_part_bytes_than_granted_breaks_flow_control()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var call = await StartEchoCallAsync(client, new SockitCallOptions { OutputWindow = 4 });
        var request = await connection.ReceiveRequiredAsync();
        await SendPartAsync(connection, request.Id, "12345");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => ReadPartsAsync(call));
        Assert.Equal(SockitErrorCode.FlowControl, error.Code);
        Assert.False(client.IsConnected);
        Assert.True(await connection.WaitForClientCloseAsync());
    }

    [Fact]
    public async Task Losing_the_connection_fails_every_pending_call_and_subscription_once()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var subscription = await SubscribeAsync(client, connection, "server");
        var first = client.TimeAsync();
        var second = client.EchoAsync("hello");
        await using var call = await StartEchoCallAsync(client);
        await connection.ReceiveUntilAsync(frame => frame.Id == call.Id);

        connection.Close();

        foreach (var pending in new Task[] { first, second, ReadPartsAsync(call), call.GetReplyAsync(), ReadEventsAsync(subscription) })
        {
            var error = await Assert.ThrowsAsync<SockitConnectionException>(() => pending.Within());
            Assert.Equal(SockitErrorCode.ConnectionClosed, error.Code);
            Assert.Equal($"{server.Address} closed the connection before replying", error.Message);
        }

        Assert.False(client.IsConnected);
        var later = await Assert.ThrowsAsync<SockitConnectionException>(() => client.TimeAsync().Within());
        Assert.Contains("closed the connection before replying", later.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_for_a_request_not_in_flight_is_a_protocol_error()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":99,"ok":true,"time":"x"}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => time.Within());
        Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
        Assert.Equal($"{server.Address} sent a reply to request 99, which is not in flight", error.Message);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Frames_that_arrive_one_byte_at_a_time_are_routed_all_the_same()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectOneByteClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var subscription = await SubscribeAsync(client, connection, "server");
        await using var call = await StartEchoCallAsync(client);
        var callRequest = await connection.ReceiveRequiredAsync();
        var echo = client.EchoAsync("one byte");
        var echoRequest = await connection.ReceiveRequiredAsync();

        await SendPartAsync(connection, callRequest.Id, "part");
        await connection.SendAsync("""{"kind":"event","topic":"server","event":"shutting_down","grace_ms":5,"data_size":2}""", "ev"u8.ToArray());
        await connection.SendAsync($$"""{"op":"echo","id":{{echoRequest.Id}},"ok":true,"data_size":8}""", echoRequest.Body);
        await connection.SendAsync($$"""{"op":"echo","id":{{callRequest.Id}},"ok":true,"data_size":0}""");

        Assert.Equal("one byte", await echo.Within());
        Assert.Equal(["part"], await ReadPartsAsync(call));
        var events = subscription.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().Within());
        Assert.Equal("shutting_down", events.Current.Name);
        Assert.Equal(5, events.Current.Header.GraceMs);
        Assert.Equal("ev", Encoding.UTF8.GetString(events.Current.Body.Span));
        await events.DisposeAsync();
    }

    private static async Task<string> ReadReplyBodyAsync(SockitCall<EchoReply> call)
    {
        await using var reply = await call.GetReplyAsync().Within();
        return Encoding.UTF8.GetString(await reply.ReadBodyAsArrayAsync(1024).AsTask().Within());
    }

    private static async Task ReadEventsAsync(SockitSubscription subscription)
    {
        await foreach (var _ in subscription)
        {
        }
    }
}
