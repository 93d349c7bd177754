using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Client.Udp;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tests.Udp;

public sealed class SockitUdpClientTests
{
    private static Socket BindLoopback()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[65536];
        var result = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TestTimeout.Value);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    private static string AddressOf(Socket socket) => $"udp://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}";

    [Fact]
    public async Task RequestAsync_sends_one_datagram_and_returns_the_servers_reply()
    {
        using var server = BindLoopback();
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server));

        var request = client.RequestAsync("hello");
        var (data, from) = await ReceiveAsync(server);
        await server.SendToAsync("HELLO"u8.ToArray(), from);

        Assert.Equal("HELLO", await request.Within());
        Assert.Equal("hello", Encoding.UTF8.GetString(data));
        Assert.Equal(0, client.IgnoredDatagramCount);
    }

    [Fact]
    public async Task A_datagram_from_another_address_is_ignored_and_the_servers_reply_is_taken()
    {
        using var server = BindLoopback();
        using var impostor = BindLoopback();
        var ignored = new TaskCompletionSource<IgnoredDatagram>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SockitUdpClientOptions { OnIgnoredDatagram = d => ignored.TrySetResult(d) };
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server), options);

        var request = client.RequestAsync("hello");
        var (_, from) = await ReceiveAsync(server);
        await impostor.SendToAsync("FAKE!!"u8.ToArray(), from);
        var report = await ignored.Task.Within();
        await server.SendToAsync("HELLO"u8.ToArray(), from);

        Assert.Equal("HELLO", await request.Within());
        Assert.Equal(1, client.IgnoredDatagramCount);
        Assert.Equal(impostor.LocalEndPoint, report.Sender);
        Assert.Equal(6, report.Length);
    }

    [Fact]
    public async Task No_reply_within_the_timeout_is_a_timeout()
    {
        using var server = BindLoopback();
        var options = new SockitUdpClientOptions { ReplyTimeout = TimeSpan.FromMilliseconds(200) };
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server), options);

        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => client.RequestAsync("anyone?").Within());

        Assert.Equal(SockitErrorCode.Timeout, error.Code);
        Assert.Equal($"no reply from {AddressOf(server)} within 0.2 s: is the server running?", error.Message);
    }

    [Fact]
    public async Task A_late_reply_to_an_earlier_request_is_not_taken_for_the_next_one()
    {
        using var server = BindLoopback();
        var options = new SockitUdpClientOptions { ReplyTimeout = TimeSpan.FromMilliseconds(200) };
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server), options);
        await Assert.ThrowsAsync<SockitTimeoutException>(() => client.RequestAsync("first").Within());
        var (_, from) = await ReceiveAsync(server);
        await server.SendToAsync("LATE"u8.ToArray(), from);
        Assert.True(SpinWait.SpinUntil(() => client.QueuedBytes > 0, TestTimeout.Value));

        var request = client.RequestAsync("second");
        var (data, _) = await ReceiveAsync(server);
        await server.SendToAsync("SECOND"u8.ToArray(), from);

        Assert.Equal("second", Encoding.UTF8.GetString(data));
        Assert.Equal("SECOND", await request.Within());
    }

    [Fact]
    public async Task An_empty_datagram_can_be_sent()
    {
        using var server = BindLoopback();
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server));

        var request = client.RequestAsync(ReadOnlyMemory<byte>.Empty);
        var (data, from) = await ReceiveAsync(server);
        await server.SendToAsync("2026-01-01 00:00:00"u8.ToArray(), from);

        Assert.Empty(data);
        Assert.Equal("2026-01-01 00:00:00"u8.ToArray(), await request.Within());
    }

    [Fact]
    public async Task A_datagram_over_the_UDP_limit_is_refused_before_sending()
    {
        using var server = BindLoopback();
        using var client = await SockitUdpClient.CreateAsync(AddressOf(server));

        var error = await Assert.ThrowsAsync<SockitException>(
            () => client.RequestAsync(new byte[SockitUdpClient.MaxDatagramLength + 1]));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Contains("65507", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Available);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:9000")]
    [InlineData("unix:/tmp/sockit.sock")]
    [InlineData("udp://127.0.0.1:0")]
    [InlineData("udp://127.0.0.1:x")]
    public async Task An_address_that_is_not_UDP_is_invalid_address(string address)
    {
        var error = await Assert.ThrowsAsync<SockitException>(() => SockitUdpClient.CreateAsync(address));

        Assert.Equal(SockitErrorCode.InvalidAddress, error.Code);
    }

    [Fact]
    public async Task A_bare_host_and_port_is_taken_as_UDP()
    {
        using var client = await SockitUdpClient.CreateAsync("localhost:9002");

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9002), client.ServerEndPoint);
    }
}
