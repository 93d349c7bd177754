using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Tests;

/// <summary>The general SendAsync path later operations (upload, download) are built on.</summary>
public sealed class SockitClientStreamingTests
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    [Fact]
    public async Task A_stream_body_goes_out_whole_and_a_reply_body_can_be_read_as_a_stream()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;
        var payload = new byte[300_000];
        new Random(42).NextBytes(payload);
        using var source = new MemoryStream(payload);

        var sending = client.SendAsync(
            id => new EchoRequest { Id = id, DataSize = payload.Length },
            Json.EchoRequest,
            Json.EchoReply,
            SockitRequestBody.FromStream(source, payload.Length));
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"echo","id":1,"ok":true,"data_size":{{payload.Length}}}""", request.Body);

        await using var response = await sending.Within();
        using var received = new MemoryStream();
        await response.Body.CopyToAsync(received).Within();

        Assert.Equal(payload, request.Body);
        Assert.Equal(payload.Length, response.Reply.DataSize);
        Assert.Equal(payload.Length, response.BodyLength);
        Assert.Equal(0, response.BodyRemaining);
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public async Task The_next_request_waits_until_the_response_is_disposed()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var sending = client.SendAsync(
            id => new EchoRequest { Id = id, DataSize = 3 }, Json.EchoRequest, Json.EchoReply,
            SockitRequestBody.FromMemory("abc"u8.ToArray()));
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":1,"ok":true,"data_size":3}""", "abc"u8.ToArray());
        var response = await sending.Within();

        var time = client.TimeAsync();
        Assert.False(time.IsCompleted);
        Assert.Equal("abc"u8.ToArray(), await response.ReadBodyAsArrayAsync(10).AsTask().Within());
        await response.DisposeAsync();

        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":2,"ok":true,"time":"now"}""");
        Assert.Equal(2, request.Id);
        Assert.Equal("now", await time.Within());
    }

    [Fact]
    public async Task Disposing_a_response_with_body_still_to_come_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var sending = client.SendAsync(
            id => new EchoRequest { Id = id }, Json.EchoRequest, Json.EchoReply);
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":1,"ok":true,"data_size":1000}""", new byte[10]);
        var response = await sending.Within();

        await response.DisposeAsync();

        Assert.False(client.IsConnected);
        var error = await Assert.ThrowsAsync<SockitConnectionException>(() => client.TimeAsync().Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, error.Code);
        Assert.Contains("reply body was left unread", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_whose_data_size_does_not_match_the_body_is_refused_before_sending()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(
            id => new EchoRequest { Id = id, DataSize = 4 }, Json.EchoRequest, Json.EchoReply,
            SockitRequestBody.FromMemory("abc"u8.ToArray())));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(
            _ => new EchoRequest { Id = 99 }, Json.EchoRequest, Json.EchoReply));

        Assert.True(client.IsConnected);
        var time = client.TimeAsync();
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":"t"}""");
        Assert.Equal("t", await time.Within());
        Assert.Equal("time", request.Op);
    }

    [Fact]
    public async Task A_header_larger_than_the_server_accepts_is_refused_before_sending()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var error = await Assert.ThrowsAsync<SockitException>(() => client.TimeAsync(new string('x', 70_000)));

        Assert.Equal(SockitErrorCode.HeaderTooLarge, error.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_body_stream_that_ends_early_fails_the_request_and_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;
        using var source = new MemoryStream(new byte[10]);

        var error = await Assert.ThrowsAsync<SockitException>(() => client.SendAsync(
            id => new EchoRequest { Id = id, DataSize = 20 }, Json.EchoRequest, Json.EchoReply,
            SockitRequestBody.FromStream(source, 20)).Within());

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<SockitProtocolException>(() => connection.ReceiveAsync());
    }
}
