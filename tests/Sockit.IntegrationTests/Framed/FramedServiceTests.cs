using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.IntegrationTests.Framed;

public sealed class FramedServiceTests
{
    [Fact]
    public async Task Server_speaks_first_with_a_hello_listing_its_operations_and_a_fresh_nonce()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await FrameConnection.OpenAsync(server.Framed, readHello: false);
        await using var second = await FrameConnection.OpenAsync(server.Framed, readHello: false);

        var (hello, _) = await first.ReadAsync(SockitJsonContext.Default.HelloMessage);
        var (other, _) = await second.ReadAsync(SockitJsonContext.Default.HelloMessage);

        Assert.True(hello.Ok);
        Assert.Equal(ProtocolInfo.Version, hello.Protocol);
        Assert.Contains("echo", hello.Ops);
        Assert.Contains("time", hello.Ops);
        Assert.Equal(ProtocolInfo.NonceLength, Convert.FromBase64String(hello.Nonce).Length);
        Assert.NotEqual(hello.Nonce, other.Nonce);
    }

    [Fact]
    public async Task Echo_returns_the_body_and_upper_returns_it_upper_cased()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var body = Encoding.UTF8.GetBytes("hello, 世界 straße");

        await connection.SendAsync(new EchoRequest { Id = 7, DataSize = body.Length }, SockitJsonContext.Default.EchoRequest, body);
        var (plain, plainBody) = await connection.ReadReplyAsync();
        await connection.SendAsync(new EchoRequest { Id = 8, DataSize = body.Length, Upper = true }, SockitJsonContext.Default.EchoRequest, body);
        var (upper, upperBody) = await connection.ReadReplyAsync();

        Assert.True(plain.Ok);
        Assert.Equal(7, plain.Id);
        Assert.Equal(body, plainBody);
        Assert.Equal(8, upper.Id);
        // Invariant upper-casing keeps ß (a one-to-one mapping), so the reply has the same characters.
        Assert.Equal("HELLO, 世界 STRAßE", Encoding.UTF8.GetString(upperBody));
    }

    [Fact]
    public async Task A_large_echo_streams_through_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var body = new byte[900_000];
        new Random(42).NextBytes(body);

        await connection.SendAsync(new EchoRequest { Id = 1, DataSize = body.Length }, SockitJsonContext.Default.EchoRequest, body);
        var (reply, replyBody) = await connection.ReadReplyAsync();

        Assert.True(reply.Ok);
        Assert.Equal(body, replyBody);
    }

    [Fact]
    public async Task Time_uses_the_tutorial_default_format_and_honours_a_given_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(new TimeRequest { Id = 1 }, SockitJsonContext.Default.TimeRequest);
        var (defaultTime, _) = await connection.ReadAsync(SockitJsonContext.Default.TimeReply);
        await connection.SendAsync(new TimeRequest { Id = 2, Format = "%Y年 %%" }, SockitJsonContext.Default.TimeRequest);
        var (year, _) = await connection.ReadAsync(SockitJsonContext.Default.TimeReply);

        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", defaultTime.Time);
        Assert.Matches(@"^\d{4}年 %$", year.Time);
        Assert.Equal(2, year.Id);
    }

    [Fact]
    public async Task Invalid_time_format_and_unknown_op_are_error_replies_and_the_connection_stays_open()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(new TimeRequest { Id = 1, Format = "%Q" }, SockitJsonContext.Default.TimeRequest);
        var (badFormat, _) = await connection.ReadReplyAsync();
        await connection.SendAsync(RawFrame.Build("{\"op\":\"nope\",\"id\":2,\"data_size\":3}", "abc"u8.ToArray()));
        var (unknown, _) = await connection.ReadReplyAsync();
        await connection.SendAsync(RawFrame.Build("{\"id\":3}"));
        var (missing, _) = await connection.ReadReplyAsync();
        await connection.SendAsync(new TimeRequest { Id = 4 }, SockitJsonContext.Default.TimeRequest);
        var (after, _) = await connection.ReadReplyAsync();

        Assert.Equal(("invalid_format", 1L), (badFormat.Error, badFormat.Id!.Value));
        Assert.Equal(("unknown_op", 2L), (unknown.Error, unknown.Id!.Value));
        Assert.Equal(("missing_op", 3L), (missing.Error, missing.Id!.Value));
        Assert.True(after.Ok);
    }

    [Fact]
    public async Task Pipelined_requests_sent_in_one_write_are_all_answered_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var batch = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            var body = Encoding.UTF8.GetBytes($"message {i}");
            batch.AddRange(FrameWriter.Encode(new EchoRequest { Id = i, DataSize = body.Length }, SockitJsonContext.Default.EchoRequest, body));
        }

        await connection.SendAsync(batch.ToArray());

        for (int i = 0; i < 200; i++)
        {
            var (reply, body) = await connection.ReadReplyAsync();
            Assert.Equal(i, reply.Id);
            Assert.Equal($"message {i}", Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public async Task A_client_that_half_closes_after_pipelining_still_gets_every_reply()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var batch = new List<byte>();
        var body = new byte[3000];
        for (int i = 0; i < 300; i++)
        {
            batch.AddRange(FrameWriter.Encode(new EchoRequest { Id = i, DataSize = body.Length }, SockitJsonContext.Default.EchoRequest, body));
        }

        await connection.SendAsync(batch.ToArray());
        connection.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        for (int i = 0; i < 300; i++)
        {
            var (reply, replyBody) = await connection.ReadReplyAsync();
            Assert.Equal(i, reply.Id);
            Assert.Equal(body.Length, replyBody.Length);
        }

        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task Null_fields_read_as_absent_as_a_python_client_may_send_them()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"id\":null,\"data_size\":null}"));
        var (reply, body) = await connection.ReadReplyAsync();

        Assert.True(reply.Ok, reply.Message);
        Assert.Null(reply.Id);
        Assert.Empty(body);
    }
}
