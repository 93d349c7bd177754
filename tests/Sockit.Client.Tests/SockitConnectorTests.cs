using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tests;

public sealed class SockitConnectorTests
{
    [Fact]
    public async Task A_tcp_stream_carries_raw_bytes_both_ways_and_reads_nothing_of_its_own()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = SockitConnector.ConnectAsync($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        using var peer = await listener.AcceptSocketAsync().Within();

        // A server that speaks first, as a legacy banner would: the connector must leave it for the caller.
        await peer.SendAsync("banner\n"u8.ToArray());
        await using var stream = await connecting.Within();
        Assert.Equal("banner\n", await ReadAsync(stream, 7));

        await stream.WriteAsync("hello"u8.ToArray());
        var buffer = new byte[5];
        int read = 0;
        while (read < buffer.Length)
        {
            read += await peer.ReceiveAsync(buffer.AsMemory(read)).AsTask().Within();
        }

        Assert.Equal("hello", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_tcp_connection_probes_a_silent_server_after_a_minute()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connecting = SockitConnector.ConnectAsync($"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        using var peer = await listener.AcceptSocketAsync().Within();
        await using var stream = await connecting.Within();

        var socket = Assert.IsType<NetworkStream>(stream).Socket;

        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(60, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(10, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(5, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
    }

    [Fact]
    public async Task A_unix_socket_stream_connects_to_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sockit-connector-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        try
        {
            var connecting = SockitConnector.ConnectAsync($"unix:{path}");
            using var peer = await listener.AcceptAsync().Within();
            await using var stream = await connecting.Within();
            await peer.SendAsync("hi"u8.ToArray());

            Assert.Equal("hi", await ReadAsync(stream, 2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Nobody_listening_is_connection_refused()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var error = await Assert.ThrowsAsync<SockitConnectionException>(() => SockitConnector.ConnectAsync($"127.0.0.1:{port}").Within());

        Assert.Equal(SockitErrorCode.ConnectionRefused, error.Code);
    }

    [Fact]
    public async Task A_udp_address_is_refused_before_anything_is_sent()
    {
        var error = await Assert.ThrowsAsync<SockitException>(() => SockitConnector.ConnectAsync("udp://127.0.0.1:9000"));

        Assert.Equal(SockitErrorCode.InvalidAddress, error.Code);
    }

    [Fact]
    public async Task A_tls_handshake_that_never_finishes_times_out_with_the_connect_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = new SockitClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300), Tls = new() { AcceptNew = true } };

        var connecting = SockitConnector.ConnectAsync($"tls://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", options);
        using var silent = await listener.AcceptSocketAsync().Within();
        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => connecting.Within());

        Assert.Equal(SockitErrorCode.Timeout, error.Code);
        Assert.StartsWith("could not connect to", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().Within();
        return Encoding.ASCII.GetString(buffer);
    }
}
