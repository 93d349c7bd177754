using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>The raw upper-echo behaves as the tutorials' own TCP clients expect: send, recv(1024), repeat.</summary>
public sealed class RawTcpEchoTests
{
    [Fact]
    public async Task Tutorial_client_conversation_loop_gets_each_message_back_upper_cased()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.RawEcho.Host, server.RawEcho.Port);

        foreach (var message in new[] { "linhaifeng nb", "second line", "中文 and ascii" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message));
            var reply = await ReceiveAtLeastAsync(socket, Encoding.UTF8.GetByteCount(message));
            Assert.Equal(UpperAscii(message), Encoding.UTF8.GetString(reply));
        }
    }

    [Fact]
    public async Task A_client_that_sends_and_never_reads_is_reset_at_the_write_deadline_after_a_bounded_amount()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:WriteTimeout"] = "00:00:01" });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveBufferSize = 4096;
        await socket.ConnectAsync(server.RawEcho.Host, server.RawEcho.Port);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');

        long sent = 0;
        var reset = false;
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (sent < 256L * 1024 * 1024)
            {
                sent += await socket.SendAsync(chunk, SocketFlags.None, giveUp.Token);
            }
        }
        catch (SocketException)
        {
            reset = true;
        }
        catch (OperationCanceledException)
        {
            // Stalled for good: the server neither read on nor let go.
        }

        Assert.True(reset, $"the server kept reading: {sent:N0} bytes sent while nothing was read");
        Assert.True(sent < 64L * 1024 * 1024, $"the server took {sent:N0} bytes before cutting the client off");
        Assert.Contains(server.Log.Entries, e => e.Message.Contains("write_timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_leaving_is_an_empty_read_for_it_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        using (var leaving = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await leaving.ConnectAsync(server.RawEcho.Host, server.RawEcho.Port);
            await leaving.SendAsync("bye"u8.ToArray());
            leaving.Shutdown(SocketShutdown.Send);
            Assert.Equal("BYE", Encoding.UTF8.GetString(await ReceiveAtLeastAsync(leaving, 3)));
            var buffer = new byte[16];
            Assert.Equal(0, await leaving.ReceiveAsync(buffer));
        }

        using var next = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await next.ConnectAsync(server.RawEcho.Host, server.RawEcho.Port);
        await next.SendAsync("again"u8.ToArray());
        Assert.Equal("AGAIN", Encoding.UTF8.GetString(await ReceiveAtLeastAsync(next, 5)));
    }

    private static string UpperAscii(string text) =>
        new(text.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 32) : c).ToArray());

    private static async Task<byte[]> ReceiveAtLeastAsync(Socket socket, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            filled += read;
        }

        return buffer;
    }
}
