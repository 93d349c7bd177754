using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Tests;

/// <summary>Requests that end badly: the server hangs up, stalls, oversends, or the caller gives up.</summary>
public sealed class SockitClientFailureTests
{
    [Fact]
    public async Task A_server_closing_before_the_reply_is_connection_closed()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("hello");
        await connection.ReceiveRequiredAsync();
        connection.Close();

        var error = await Assert.ThrowsAsync<SockitConnectionException>(() => echo.Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, error.Code);
    }

    [Fact]
    public async Task A_server_closing_in_the_middle_of_a_reply_is_a_truncated_frame()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("0123456789");
        await connection.ReceiveRequiredAsync();
        var frame = FakeConnection.Encode("""{"op":"echo","id":1,"ok":true,"data_size":10}""", "0123456789"u8.ToArray());
        await connection.SendRawAsync(frame[..^7]);
        connection.Close();

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => echo.Within());
        Assert.Equal(SockitErrorCode.TruncatedFrame, error.Code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_server_closing_in_the_middle_of_a_reply_header_is_a_truncated_frame()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        var frame = FakeConnection.Encode("""{"op":"time","id":1,"ok":true,"time":"x"}""");
        await connection.SendRawAsync(frame[..10]);
        connection.Close();

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => time.Within());
        Assert.Equal(SockitErrorCode.TruncatedFrame, error.Code);
    }

    [Fact]
    public async Task A_server_that_stops_reading_makes_the_send_time_out_and_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var options = new SockitClientOptions { ReplyTimeout = TimeSpan.FromMilliseconds(300) };
        var (client, connection) = await server.ConnectClientAsync(options);
        await using var _ = client;
        await using var __ = connection;
        const long size = 1L << 40;

        // The server reads nothing of it: once the socket's buffers are full, the client's send waits, and must give up.
        var sending = client.SendAsync(
            id => new EchoRequest { Id = id, DataSize = size },
            SockitJsonContext.Default.EchoRequest,
            SockitJsonContext.Default.EchoReply,
            SockitRequestBody.FromStream(new ZeroStream(), size));

        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => sending.Within());
        Assert.Equal(SockitErrorCode.Timeout, error.Code);
        Assert.Equal(server.Address + " stopped accepting data for 0.3 s", error.Message);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_reply_that_does_not_come_in_time_is_a_timeout_and_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var options = new SockitClientOptions { ReplyTimeout = TimeSpan.FromMilliseconds(200) };
        var (client, connection) = await server.ConnectClientAsync(options);
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();

        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => time.Within());
        Assert.Equal(SockitErrorCode.Timeout, error.Code);
        Assert.Equal("no reply from " + server.Address + " for 0.2 s", error.Message);
        Assert.True(await connection.WaitForClientCloseAsync());
    }

    [Fact]
    public async Task Cancelling_a_request_throws_OperationCanceledException_and_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;
        using var cancel = new CancellationTokenSource();

        var time = client.TimeAsync(cancellationToken: cancel.Token);
        await connection.ReceiveRequiredAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => time.Within());
        Assert.False(client.IsConnected);
        Assert.True(await connection.WaitForClientCloseAsync());
    }

    [Fact]
    public async Task A_reply_body_over_the_clients_limit_is_a_protocol_error()
    {
        using var server = new FakeFramedServer();
        var options = new SockitClientOptions { FrameLimits = new(MaxHeaderLength: 1024, MaxBodyLength: 1024) };
        var (client, connection) = await server.ConnectClientAsync(options);
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("x");
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":1,"ok":true,"data_size":2048}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => echo.Within());
        Assert.Equal(SockitErrorCode.BodyTooLarge, error.Code);
    }

    [Fact]
    public async Task Disposing_the_client_during_a_request_fails_it_as_connection_closed()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await client.DisposeAsync();

        var error = await Assert.ThrowsAsync<SockitConnectionException>(() => time.Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, error.Code);
        Assert.True(await connection.WaitForClientCloseAsync());
    }
}
