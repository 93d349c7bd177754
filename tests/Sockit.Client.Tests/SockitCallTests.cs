using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;
using static Sockit.Client.Tests.Fakes.Streaming;

namespace Sockit.Client.Tests;

/// <summary>Streamed calls: the request's window, input within credit, cancel, and servers that cannot stream.</summary>
public sealed class SockitCallTests
{
    [Fact]
    public async Task A_streamed_request_carries_the_output_window()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var call = await StartEchoCallAsync(client);
        var request = await connection.ReceiveRequiredAsync();

        Assert.Equal("""{"op":"echo","id":1,"upper":false,"window":262144}""", request.HeaderJson);
        Assert.Equal(1, call.Id);
    }

    [Fact]
    public async Task A_consumer_that_has_read_every_queued_part_gives_its_credit_back_at_once()
    {
        // A server sends a part only when its whole body fits the credit. With 20 KiB of a 64 KiB window consumed and
        // nothing queued, holding the grant back until half the window is reached would leave a 50 KiB part waiting.
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        await using var call = await StartEchoCallAsync(client, new SockitCallOptions { OutputWindow = 65536 });
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"kind":"part","op":"echo","id":{{request.Id}},"data_size":20480}""", new byte[20480]);

        await using var parts = call.Frames.GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        var next = parts.MoveNextAsync().AsTask();
        var grant = await connection.ReceiveRequiredAsync().Within();

        Assert.Equal(("window", 20480L), (grant.Header.GetProperty("kind").GetString(), grant.Header.GetProperty("credit").GetInt64()));
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task A_consumer_that_keeps_up_with_a_large_window_grants_once_per_half_window()
    {
        // With a part read and nothing queued, a server that still has most of a 1 MiB window is not waiting: a grant
        // per part would cost a frame and a wake-up on both sides for nothing.
        const int Part = 65536;
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        await using var call = await StartEchoCallAsync(client, new SockitCallOptions { OutputWindow = 1024 * 1024 });
        var request = await connection.ReceiveRequiredAsync();
        string part = $$"""{"kind":"part","op":"echo","id":{{request.Id}},"data_size":{{Part}}}""";

        await using var parts = call.Frames.GetAsyncEnumerator();
        await connection.SendAsync(part, new byte[Part]);
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        var next = parts.MoveNextAsync().AsTask();
        for (int i = 1; i < 8; i++)
        {
            await connection.SendAsync(part, new byte[Part]);
            Assert.True(await next.Within());
            next = parts.MoveNextAsync().AsTask();
        }

        var grant = await connection.ReceiveRequiredAsync().Within();

        Assert.Equal(("window", 8L * Part), (grant.Header.GetProperty("kind").GetString(), grant.Header.GetProperty("credit").GetInt64()));
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task Input_waits_for_credit_and_never_exceeds_it()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        await using var call = await StartEchoCallAsync(client);
        var request = await connection.ReceiveRequiredAsync();
        var data = Encoding.ASCII.GetBytes("abcdefghijklmnopqrst");

        // The hello's window is 8 bytes: that much goes out, and then the writer waits for a grant.
        var writing = call.WriteInputAsync(data).AsTask();
        long credit = 8;
        var received = new StringBuilder();
        foreach (long grant in new long[] { 5, 100 })
        {
            while (credit > 0 && received.Length < data.Length)
            {
                var input = await connection.ReceiveRequiredAsync();
                Assert.Equal("input", input.Header.GetProperty("kind").GetString());
                Assert.Equal(request.Id, input.Id);
                Assert.InRange(input.Body.Length, 1, credit);
                credit -= input.Body.Length;
                received.Append(input.BodyText);
            }

            Assert.False(writing.IsCompleted);
            credit += grant;
            await connection.SendAsync($$"""{"kind":"window","id":{{request.Id}},"credit":{{grant}}}""");
            if (grant == 5)
            {
                Assert.Equal("abcdefgh", received.ToString());
            }
        }

        while (received.Length < data.Length)
        {
            received.Append((await connection.ReceiveRequiredAsync()).BodyText);
        }

        await writing.Within();
        await call.CompleteInputAsync().AsTask().Within();
        var end = await connection.ReceiveRequiredAsync();

        Assert.Equal("abcdefghijklmnopqrst", received.ToString());
        Assert.Equal($$"""{"kind":"end","id":{{request.Id}}}""", end.HeaderJson);
    }

    [Fact]
    public async Task A_large_write_goes_out_as_input_frames_of_at_most_64_KiB_in_order()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        await using var call = await StartEchoCallAsync(client);
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"kind":"window","id":{{request.Id}},"credit":200000}""");
        await connection.SendAsync($$"""{"kind":"part","op":"echo","id":{{request.Id}},"data_size":1}""", [1]);
        var data = new byte[150_000];
        new Random(7).NextBytes(data);

        // The client reads frames in order: once the part is out, so is the grant (the hello's window alone is 8 bytes).
        await using var parts = call.Frames.GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        await call.WriteInputAsync(data).AsTask().Within();
        var sizes = new List<int>();
        var received = new List<byte>();
        while (received.Count < data.Length)
        {
            var input = await connection.ReceiveRequiredAsync();
            Assert.Equal(("input", request.Id), (input.Header.GetProperty("kind").GetString(), input.Id));
            sizes.Add(input.Body.Length);
            received.AddRange(input.Body);
        }

        Assert.Equal([65536, 65536, 150_000 - 131072], sizes);
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task Cancelling_a_call_sends_cancel_and_the_call_ends_cancelled()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        using var cancel = new CancellationTokenSource();

        await using var call = await StartEchoCallAsync(client, cancellationToken: cancel.Token);
        var request = await connection.ReceiveRequiredAsync();
        await SendPartAsync(connection, request.Id, "before");
        var parts = call.Frames.GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync().AsTask().Within());

        await cancel.CancelAsync();
        var sent = await connection.ReceiveRequiredAsync();

        Assert.Equal($$"""{"kind":"cancel","id":{{request.Id}}}""", sent.HeaderJson);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parts.MoveNextAsync().AsTask().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.GetReplyAsync().Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WriteInputAsync("late"u8.ToArray()).AsTask().Within());

        // What the server still sends for it is dropped, and the connection carries on.
        await SendPartAsync(connection, request.Id, "after");
        await connection.SendAsync($$"""{"op":"echo","id":{{request.Id}},"ok":false,"error":"cancelled","message":"the request was cancelled"}""");
        var time = client.TimeAsync();
        var next = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"time","id":{{next.Id}},"ok":true,"time":"still here"}""");
        Assert.Equal("still here", await time.Within());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Cancelling_a_one_line_call_on_a_server_that_can_cancel_keeps_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        using var cancel = new CancellationTokenSource();

        var time = client.TimeAsync(cancellationToken: cancel.Token);
        var request = await connection.ReceiveRequiredAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.Within());
        Assert.Equal($$"""{"kind":"cancel","id":{{request.Id}}}""", (await connection.ReceiveRequiredAsync()).HeaderJson);
        await connection.SendAsync($$"""{"op":"time","id":{{request.Id}},"ok":false,"error":"cancelled","message":"the request was cancelled"}""");
        Assert.True(client.IsConnected);

        var echo = client.EchoAsync("after");
        var next = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"echo","id":{{next.Id}},"ok":true,"data_size":5}""", next.Body);
        Assert.Equal("after", await echo.Within());
    }

    [Fact]
    public async Task A_failed_final_reply_ends_the_parts_with_the_servers_error()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var call = await StartEchoCallAsync(client);
        var request = await connection.ReceiveRequiredAsync();
        await SendPartAsync(connection, request.Id, "some");
        await connection.SendAsync($$"""{"op":"echo","id":{{request.Id}},"ok":false,"error":"internal_error","message":"it broke"}""");

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<SockitRemoteException>(async () =>
        {
            await foreach (var part in call.Frames)
            {
                received.Add(Encoding.UTF8.GetString(part.Body.Span));
            }
        });
        Assert.Equal(["some"], received);
        Assert.Equal(SockitErrorCode.InternalError, error.Code);
        Assert.Equal(request.Id, error.RequestId);
        await Assert.ThrowsAsync<SockitRemoteException>(() => call.GetReplyAsync().Within());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_protocol_1_server_gets_one_line_calls_and_refuses_streamed_calls_and_subscriptions()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var call = await Assert.ThrowsAsync<NotSupportedException>(() => StartEchoCallAsync(client));
        Assert.Contains("'parts' feature", call.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.SubscribeAsync(["server"]));

        var time = client.TimeAsync();
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"time","id":{{request.Id}},"ok":true,"time":"t"}""");
        Assert.Equal("t", await time.Within());
    }

    [Fact]
    public async Task A_hello_announcing_no_input_window_is_accepted()
    {
        // A server that says protocol 2 but lists no features and no input window.
        const string hello =
            """{"op":"hello","ok":true,"server":"sockit","version":"0.1.0","protocol":2,"ops":["echo"],"auth":[],"nonce":"bm9uY2U=","max_header_length":65536,"features":[],"max_in_flight":0,"input_window":0}""";
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync(hello: hello);
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("hi");
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"echo","id":{{request.Id}},"ok":true,"data_size":2}""", request.Body);

        Assert.Equal("hi", await echo.Within());
        Assert.Equal(0, client.Hello.InputWindow);
    }
}
