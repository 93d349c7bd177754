using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Tutorials;

/// <summary>The UDP endpoints answer the tutorials' UDP clients unchanged: one datagram in, one out.</summary>
public sealed class UdpServiceTests
{
    [Fact]
    public async Task Upper_echo_answers_sendto_with_the_datagram_upper_cased_from_the_server_address()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var (reply, from) = await RequestAsync(socket, server.UdpEcho, "sally");

        Assert.Equal("SALLY", reply);
        Assert.Equal(server.UdpEcho.Port, from.Port);
    }

    [Fact]
    public async Task Connected_udp_client_uses_send_and_recv()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(IPAddress.Parse(server.UdpEcho.Host), server.UdpEcho.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await socket.SendAsync("hello chat"u8.ToArray(), SocketFlags.None, timeout.Token);
        var buffer = new byte[65535];
        int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);

        Assert.Equal("HELLO CHAT", Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task Time_server_uses_the_default_format_for_an_empty_datagram()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var (reply, _) = await RequestAsync(socket, server.UdpTime, "");

        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", reply);
    }

    [Fact]
    public async Task Time_server_formats_with_the_given_format_and_reports_a_bad_one()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var (year, _) = await RequestAsync(socket, server.UdpTime, "%Y %m %d");
        var (bad, _) = await RequestAsync(socket, server.UdpTime, "%Y %Q");

        Assert.Matches(@"^\d{4} \d{2} \d{2}$", year);
        Assert.StartsWith("error: ", bad, StringComparison.Ordinal);
        Assert.Contains("%Q", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_reply_too_large_for_a_datagram_is_an_error_datagram_not_silence()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var (reply, _) = await RequestAsync(socket, server.UdpTime, string.Concat(Enumerable.Repeat("%c", 20_000)));

        Assert.StartsWith("error: ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_floods_gets_its_burst_of_replies_then_silence_while_others_are_still_answered()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Udp:RepliesPerSecond"] = "0.01",
            ["Sockit:Udp:ReplyBurst"] = "5",
        });
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var target = new IPEndPoint(IPAddress.Parse(server.UdpTime.Host), server.UdpTime.Port);

        for (int i = 0; i < 40; i++)
        {
            await flooder.SendToAsync("%c"u8.ToArray(), SocketFlags.None, target);
        }

        // One endpoint answers in arrival order, so once the other source has its reply every flood datagram has
        // been dealt with and each reply it earned is already waiting in the flooder's socket.
        var (probe, _) = await RequestAsync(other, server.UdpTime, "%Y");
        int replies = 0;
        var buffer = new byte[65535];
        while (flooder.Available > 0)
        {
            flooder.Receive(buffer);
            replies++;
        }

        Assert.Matches(@"^\d{4}$", probe);
        Assert.Equal(5, replies);
    }

    private static async Task<(string Reply, IPEndPoint From)> RequestAsync(Socket socket, SockitAddress address, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var target = new IPEndPoint(IPAddress.Parse(address.Host), address.Port);
        await socket.SendToAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None, target, timeout.Token);
        var buffer = new byte[65535];
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }
}
