using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tests;

public sealed class SockitClientRequestTests
{
    [Fact]
    public async Task EchoAsync_sends_an_echo_frame_and_returns_the_reply_body()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("hello", upper: true);
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":1,"ok":true,"data_size":5}""", "HELLO"u8.ToArray());

        Assert.Equal("HELLO", await echo.Within());
        Assert.Equal("""{"op":"echo","id":1,"data_size":5,"upper":true}""", request.HeaderJson);
        Assert.Equal("hello", request.BodyText);
    }

    [Fact]
    public async Task EchoAsync_with_bytes_round_trips_any_bytes()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;
        byte[] payload = [0, 255, 10, 13, 0x80];

        var echo = client.EchoAsync(payload);
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":1,"ok":true,"data_size":5}""", request.Body);

        Assert.Equal(payload, await echo.Within());
        Assert.False(request.Header.GetProperty("upper").GetBoolean());
    }

    [Fact]
    public async Task Each_request_gets_the_next_id()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var ids = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            var time = client.TimeAsync();
            var request = await connection.ReceiveRequiredAsync();
            ids.Add(request.Id);
            await connection.SendAsync($$"""{"op":"time","id":{{request.Id}},"ok":true,"time":"t{{i}}"}""");
            Assert.Equal($"t{i}", await time.Within());
        }

        Assert.Equal([1L, 2L, 3L], ids);
    }

    [Fact]
    public async Task TimeAsync_sends_the_format_and_returns_the_time()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync("%H:%M");
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":"14:05"}""");

        Assert.Equal("14:05", await time.Within());
        Assert.Equal("""{"op":"time","id":1,"format":"%H:%M"}""", request.HeaderJson);
        Assert.Empty(request.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task TimeAsync_without_a_format_leaves_the_field_out(string? format)
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync(format);
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":"2026-01-01 12:00:00"}""");

        Assert.Equal("2026-01-01 12:00:00", await time.Within());
        Assert.Equal(["op", "id"], request.FieldNames);
    }

    [Fact]
    public async Task An_error_reply_throws_SockitRemoteException_and_keeps_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync("%Q");
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"ok":false,"error":"invalid_format","message":"bad directive %Q"}""");
        var error = await Assert.ThrowsAsync<SockitRemoteException>(() => time.Within());

        Assert.Equal(SockitErrorCode.InvalidFormat, error.Code);
        Assert.Equal("bad directive %Q", error.Message);
        Assert.Equal(1, error.RequestId);
        Assert.True(client.IsConnected);

        var echo = client.EchoAsync("still there");
        var request = await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"echo","id":2,"ok":true,"data_size":11}""", request.Body);
        Assert.Equal("still there", await echo.Within());
    }

    [Fact]
    public async Task An_error_reply_without_an_id_is_still_an_error_reply_and_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var echo = client.EchoAsync("x");
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"ok":false,"error":"invalid_field","message":"upper must be a boolean"}""");

        var error = await Assert.ThrowsAsync<SockitRemoteException>(() => echo.Within());
        Assert.Equal(SockitErrorCode.InvalidField, error.Code);
        Assert.Equal(1, error.RequestId);

        // The server closes after such an error: the next request says so at once instead of waiting for a reply.
        Assert.False(client.IsConnected);
        var next = await Assert.ThrowsAsync<SockitConnectionException>(() => client.EchoAsync("y").Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, next.Code);
        Assert.True(await connection.WaitForClientCloseAsync());
    }

    [Theory]
    [InlineData("""{"op":"time","id":7,"ok":true,"time":"x"}""")]
    [InlineData("""{"op":"time","ok":true,"time":"x"}""")]
    [InlineData("""{"op":"time","id":7,"ok":false,"error":"unknown_op","message":"m"}""")]
    public async Task A_reply_with_another_id_is_a_protocol_error_and_closes_the_connection(string reply)
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync(reply);

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => time.Within());
        Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
        Assert.Contains("reply to request 1", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        Assert.True(await connection.WaitForClientCloseAsync());

        var next = await Assert.ThrowsAsync<SockitConnectionException>(() => client.TimeAsync().Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, next.Code);
    }

    [Fact]
    public async Task Requests_from_several_callers_run_one_after_the_other()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var first = client.EchoAsync("one");
        var second = client.EchoAsync("two");
        for (int i = 0; i < 2; i++)
        {
            var request = await connection.ReceiveRequiredAsync();
            await connection.SendAsync(
                $$"""{"op":"echo","id":{{request.Id}},"ok":true,"data_size":{{request.Body.Length}}}""",
                Encoding.UTF8.GetBytes(request.BodyText.ToUpperInvariant()));
        }

        Assert.Equal("ONE", await first.Within());
        Assert.Equal("TWO", await second.Within());
    }

    [Fact]
    public async Task Disposing_the_client_closes_the_connection()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var __ = connection;

        await client.DisposeAsync();

        Assert.False(client.IsConnected);
        Assert.True(await connection.WaitForClientCloseAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.TimeAsync());
    }
}
