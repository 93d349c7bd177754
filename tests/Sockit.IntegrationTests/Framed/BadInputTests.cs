using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Messages;

namespace Sockit.IntegrationTests.Framed;

/// <summary>Every malformed frame gets its error code, the offending connection closes, and everyone else is served.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, byte[]> MalformedFrames() => new()
    {
        { "invalid_header_length", RawFrame.Build(-1, []) },
        { "invalid_header_length", RawFrame.Build(0, []) },
        { "header_too_large", RawFrame.Build(64 * 1024 + 1, []) },
        { "invalid_header", RawFrame.Build("not json at all") },
        { "invalid_header", RawFrame.Build([(byte)'{', (byte)'"', (byte)'o', (byte)'p', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}']) },
        { "invalid_header", RawFrame.Build("{\"op\":\"echo\"} trailing") },
        { "header_not_object", RawFrame.Build("[1, 2, 3]") },
        { "header_not_object", RawFrame.Build("\"echo\"") },
        { "header_not_object", RawFrame.Build("42") },
        { "invalid_header", RawFrame.Build("[[[[") },
        { "invalid_field", RawFrame.Build("{\"op\": 5}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"echo\", \"id\": 1.5}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"echo\", \"id\": \"1\"}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"echo\", \"data_size\": -1}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"echo\", \"data_size\": \"5\"}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"echo\", \"upper\": \"yes\"}") },
        { "invalid_field", RawFrame.Build("{\"op\": \"time\", \"format\": 12}") },
        { "body_too_large", RawFrame.Build("{\"op\": \"echo\", \"data_size\": 2000000}") },
        { "body_too_large", RawFrame.Build("{\"op\": \"time\", \"data_size\": 5}") },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task Malformed_frame_gets_its_error_code_and_a_close_while_other_clients_carry_on(string expectedCode, byte[] frame)
    {
        await using var server = await TestServer.StartAsync();
        await using var bystander = await FrameConnection.OpenAsync(server.Framed);
        await using var offender = await FrameConnection.OpenAsync(server.Framed);

        // Only the frame is sent, never the body it announces: errors must not wait for bytes that may never come.
        await offender.SendAsync(frame);
        var (error, _) = await offender.ReadReplyAsync();
        await offender.AssertClosedByServerAsync();

        Assert.False(error.Ok);
        Assert.Equal(expectedCode, error.Error);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        await AssertServesEchoAsync(bystander);
        await using var newcomer = await FrameConnection.OpenAsync(server.Framed);
        await AssertServesEchoAsync(newcomer);
    }

    [Fact]
    public async Task An_oversized_header_length_is_refused_from_its_four_bytes_alone()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(BitConverter.GetBytes(int.MaxValue));
        var (error, _) = await connection.ReadReplyAsync();

        Assert.Equal("header_too_large", error.Error);
    }

    [Fact]
    public async Task Stream_ending_inside_a_frame_is_reported_as_truncated()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var frame = RawFrame.Build("{\"op\":\"echo\",\"upper\":true,\"data_size\":10}", "abc"u8.ToArray());

        await connection.SendAsync(frame);
        connection.Socket.Shutdown(SocketShutdown.Send);
        var (error, _) = await connection.ReadReplyAsync();

        Assert.Equal("truncated_frame", error.Error);
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task Request_body_ending_while_its_echo_streams_back_closes_without_a_stray_frame()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        // The reply header has gone out before the body is known to be short, so the reply itself ends short.
        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"data_size\":100000}", new byte[1000]));
        connection.Socket.Shutdown(SocketShutdown.Send);

        var failure = await Assert.ThrowsAsync<Sockit.Protocol.Errors.SockitProtocolException>(connection.ReadReplyAsync);
        Assert.Equal("truncated_frame", failure.Code.Value);
    }

    [Fact]
    public async Task Abrupt_disconnect_mid_frame_is_a_quiet_debug_event()
    {
        await using var server = await TestServer.StartAsync();
        var rude = await FrameConnection.OpenAsync(server.Framed);
        await rude.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"data_size\":100}", "partial"u8.ToArray()));
        rude.Socket.LingerState = new LingerOption(true, 0);
        await rude.DisposeAsync();

        await using var next = await FrameConnection.OpenAsync(server.Framed);
        await AssertServesEchoAsync(next);
        await server.Server.StopAsync();

        Assert.DoesNotContain(server.Log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    internal static async Task AssertServesEchoAsync(FrameConnection connection)
    {
        var body = Encoding.UTF8.GetBytes("still here");
        await connection.SendAsync(new EchoRequest { Id = 99, DataSize = body.Length, Upper = true }, SockitJsonContext.Default.EchoRequest, body);
        var (reply, replyBody) = await connection.ReadReplyAsync();
        Assert.True(reply.Ok);
        Assert.Equal("STILL HERE", Encoding.UTF8.GetString(replyBody));
    }
}
