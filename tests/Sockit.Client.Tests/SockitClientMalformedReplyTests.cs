using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Tests;

/// <summary>
/// A hostile or broken server's replies that parse as frames but not as what they answer: the caller hears of it at
/// once as a protocol error, instead of waiting for a reply that has already come and gone.
/// </summary>
public sealed class SockitClientMalformedReplyTests
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    [Fact]
    public async Task A_reply_field_of_the_wrong_type_fails_its_request_and_the_others_in_flight_at_once()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var first = client.TimeAsync();
        var second = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":5}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => first.Within());
        Assert.Equal(SockitErrorCode.InvalidField, error.Code);
        Assert.Equal(1, error.RequestId);

        // The connection cannot be trusted to be in step any more: it goes, and the other request with it.
        Assert.Same(error, await Assert.ThrowsAsync<SockitProtocolException>(() => second.Within()));
        Assert.True(await connection.WaitForClientCloseAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_download_the_server_gives_a_negative_size_is_a_protocol_error_and_leaves_no_partial()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        var folder = Directory.CreateTempSubdirectory("sockit-negative-size-");
        try
        {
            var target = Path.Combine(folder.FullName, "out.bin");
            var download = client.DownloadFileAsync("/f", target);
            await connection.ReceiveRequiredAsync();
            await connection.SendAsync("""{"op":"get","id":1,"kind":"part","size":-5,"mtime":"","mode":""}""");

            var error = await Assert.ThrowsAsync<SockitProtocolException>(() => download.Within());
            Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
            Assert.Contains("a size of -5 bytes", error.Message, StringComparison.Ordinal);
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("not a time")]
    [InlineData("1970-01-01T00:00:00.000\\u001b[2J")]
    [InlineData("99999-01-01T00:00:00Z")]
    public async Task A_download_whose_time_is_not_one_is_kept_with_its_own_time(string mtime)
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;
        var folder = Directory.CreateTempSubdirectory("sockit-bad-mtime-");
        try
        {
            var target = Path.Combine(folder.FullName, "out.bin");
            var started = DateTime.UtcNow.AddMinutes(-1);
            var download = client.DownloadFileAsync("/f", target);
            await connection.ReceiveRequiredAsync();
            await connection.SendAsync($$"""{"op":"get","id":1,"kind":"part","size":5,"mtime":"{{mtime}}"}""");
            await connection.SendAsync("""{"op":"get","id":1,"kind":"part","data_size":5}""", "hello"u8.ToArray());
            var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hello"u8));
            await connection.SendAsync($$"""{"op":"get","id":1,"ok":true,"size":5,"sha256":"{{sha256}}"}""");

            await download.Within();

            Assert.Equal("hello", File.ReadAllText(target));
            Assert.InRange(File.GetLastWriteTimeUtc(target), started, DateTime.UtcNow.AddMinutes(1));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_streamed_call_whose_final_reply_has_a_field_of_the_wrong_type_ends_with_a_protocol_error()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        await using var call = await client.StartAsync(id => new TimeRequest { Id = id }, Json.TimeRequest, Json.TimeReply).Within();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"kind":"part","data_size":2}""", "p1"u8.ToArray());
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":{}}""");

        // The part that came before is still delivered; the failure follows it.
        await using var parts = call.Frames.GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync().AsTask().Within());
        Assert.Equal("p1", Encoding.UTF8.GetString(parts.Current.Body.Span));
        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => parts.MoveNextAsync().AsTask().Within());
        Assert.Equal(SockitErrorCode.InvalidField, error.Code);
        Assert.Same(error, await Assert.ThrowsAsync<SockitProtocolException>(() => call.GetReplyAsync().Within()));
    }

    [Fact]
    public async Task A_part_for_a_one_line_request_is_skipped_and_its_reply_still_arrives()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"kind":"part","data_size":1}""", "x"u8.ToArray());
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":"12:00"}""");

        Assert.Equal("12:00", await time.Within());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_body_its_header_does_not_announce_is_read_as_the_next_frame_and_the_request_times_out()
    {
        // The stray byte and the next frame's length make a length of thousands of bytes, which may yet come: only the
        // deadline can tell such a server from a slow one.
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectV2ClientAsync(new SockitClientOptions { ReplyTimeout = TimeSpan.FromMilliseconds(200) });
        await using var _ = client;
        await using var __ = connection;

        var time = client.TimeAsync();
        await connection.ReceiveRequiredAsync();
        await connection.SendAsync("""{"op":"time","id":1,"kind":"part"}""", "x"u8.ToArray());
        await connection.SendAsync("""{"op":"time","id":1,"ok":true,"time":"12:00"}""");

        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => time.Within());
        Assert.Equal(SockitErrorCode.Timeout, error.Code);
    }
}
