using System.Net;
using System.Net.Sockets;
using Sockit.Client.Auth;
using Sockit.Client.Tests.Fakes;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tests;

public sealed class SockitClientConnectTests
{
    [Fact]
    public async Task ConnectAsync_reads_the_servers_hello()
    {
        using var server = new FakeFramedServer();

        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        Assert.Equal("sockit", client.Hello.Server);
        Assert.Equal("0.1.0", client.Hello.Version);
        Assert.Equal(1, client.Hello.Protocol);
        Assert.Equal(["echo", "time"], client.Hello.Ops);
        Assert.Empty(client.Hello.Auth);
        Assert.Equal("bm9uY2U=", client.Hello.Nonce);
        Assert.Equal(65536, client.Hello.MaxHeaderLength);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_server_at_its_limit_is_reported_as_server_busy()
    {
        using var server = new FakeFramedServer();
        var connecting = SockitClient.ConnectAsync(server.Address);
        await using var connection = await server.AcceptAsync();

        await connection.SendAsync("""{"ok":false,"error":"server_busy","message":"too many connections (100)"}""");
        connection.Close();

        var error = await Assert.ThrowsAsync<SockitRemoteException>(() => connecting.Within());
        Assert.Equal(SockitErrorCode.ServerBusy, error.Code);
        Assert.Equal("too many connections (100)", error.Message);
    }

    [Fact]
    public async Task A_first_frame_that_is_not_a_hello_is_a_protocol_error()
    {
        using var server = new FakeFramedServer();
        var connecting = SockitClient.ConnectAsync(server.Address);
        await using var connection = await server.AcceptAsync();

        await connection.SendAsync("""{"op":"echo","ok":true}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => connecting.Within());
        Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
    }

    [Theory]
    [InlineData("\"nonce\":\"bm9uY2U=\"", "\"nonce\":\"!!!\\u001b]0;pwned\\u0007\"", "whose nonce is not base64")]
    [InlineData("\"nonce\":\"bm9uY2U=\"", "\"nonce\":null", "whose nonce is null")]
    [InlineData("\"ops\":[\"echo\",\"time\"]", "\"ops\":null", "whose ops is null")]
    public async Task A_hello_with_a_field_the_client_cannot_use_is_a_protocol_error(string field, string malformed, string says)
    {
        using var server = new FakeFramedServer();
        var connecting = SockitClient.ConnectAsync(server.Address);
        await using var connection = await server.AcceptAsync();

        await connection.SendHelloAsync(FakeConnection.HelloJson.Replace(field, malformed, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => connecting.Within());
        Assert.Equal(SockitErrorCode.InvalidField, error.Code);
        Assert.Equal($"{server.Address} sent a hello {says}", error.Message);
    }

    [Fact]
    public async Task An_HMAC_challenge_that_is_not_base64_is_a_protocol_error()
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync(hello: FakeConnection.HelloJson.Replace("bm9uY2U=", "", StringComparison.Ordinal));
        await using var _ = client;
        await using var __ = connection;

        var login = client.LoginAsync(SockitCredentials.FromKey("ci", new byte[32]));
        var challenge = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"auth","id":{{challenge.Id}},"ok":true,"nonce":"!!!"}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => login.Within());
        Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
        Assert.Equal($"{server.Address}: the server's HMAC challenge is not base64", error.Message);
    }

    [Theory]
    [InlineData("i=4096")]
    [InlineData("r=abc,s=!!!,i=4096")]
    [InlineData("r=abc,s=c2FsdA==,i=many")]
    public async Task A_malformed_SCRAM_message_from_the_server_is_a_protocol_error(string serverFirst)
    {
        using var server = new FakeFramedServer();
        var (client, connection) = await server.ConnectClientAsync();
        await using var _ = client;
        await using var __ = connection;

        var login = client.LoginAsync(SockitCredentials.FromPassword("ci", "pencil"));
        var first = await connection.ReceiveRequiredAsync();
        await connection.SendAsync($$"""{"op":"auth","id":{{first.Id}},"ok":true,"done":false,"sasl":"{{serverFirst}}"}""");

        var error = await Assert.ThrowsAsync<SockitProtocolException>(() => login.Within());
        Assert.Equal(SockitErrorCode.ProtocolError, error.Code);
        Assert.StartsWith($"{server.Address}: the server's SCRAM message is malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_closes_without_hello_is_connection_closed()
    {
        using var server = new FakeFramedServer();
        var connecting = SockitClient.ConnectAsync(server.Address);
        await using var connection = await server.AcceptAsync();

        connection.Close();

        var error = await Assert.ThrowsAsync<SockitConnectionException>(() => connecting.Within());
        Assert.Equal(SockitErrorCode.ConnectionClosed, error.Code);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_connection_refused()
    {
        int port;
        using (var listener = new FakeFramedServer())
        {
            port = listener.Port;
        }

        var error = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync($"127.0.0.1:{port}").Within());

        Assert.Equal(SockitErrorCode.ConnectionRefused, error.Code);
        Assert.Equal($"connection refused by 127.0.0.1:{port}: is the server running?", error.Message);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:notaport")]
    [InlineData("ftp://127.0.0.1:9000")]
    [InlineData("")]
    [InlineData("127.0.0.1:0")]
    [InlineData("udp://127.0.0.1:9000")]
    public async Task An_address_the_client_cannot_use_is_invalid_address(string address)
    {
        var error = await Assert.ThrowsAsync<SockitException>(() => SockitClient.ConnectAsync(address).Within());

        Assert.Equal(SockitErrorCode.InvalidAddress, error.Code);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_says_hello_times_out()
    {
        using var server = new FakeFramedServer();
        var options = new SockitClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200) };
        var connecting = SockitClient.ConnectAsync(server.Address, options);
        await using var connection = await server.AcceptAsync();

        var error = await Assert.ThrowsAsync<SockitTimeoutException>(() => connecting.Within());

        Assert.Equal(SockitErrorCode.Timeout, error.Code);
        Assert.Contains("sent no hello within 0.2 s", error.Message, StringComparison.Ordinal);
        Assert.True(await connection.WaitForClientCloseAsync());
    }

    [Fact]
    public async Task A_connection_the_listener_never_completes_times_out()
    {
        // A listener whose accept queue is full makes the kernel drop further SYNs, so connect hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    await filler.ConnectAsync(endPoint, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var options = new SockitClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
            var error = await Assert.ThrowsAsync<SockitTimeoutException>(
                () => SockitClient.ConnectAsync($"127.0.0.1:{endPoint.Port}", options).Within());

            Assert.Equal(SockitErrorCode.Timeout, error.Code);
            Assert.StartsWith($"could not connect to 127.0.0.1:{endPoint.Port} within 0.3 s", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Cancelling_the_connect_throws_OperationCanceledException()
    {
        using var server = new FakeFramedServer();
        using var cancel = new CancellationTokenSource();
        var connecting = SockitClient.ConnectAsync(server.Address, cancellationToken: cancel.Token);
        await using var connection = await server.AcceptAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.Within());
    }

    [Fact]
    public async Task A_host_name_is_resolved()
    {
        using var server = new FakeFramedServer();
        var connecting = SockitClient.ConnectAsync($"tcp://localhost:{server.Port}");
        await using var connection = await server.AcceptAndGreetAsync();

        await using var client = await connecting.Within();

        Assert.Equal("localhost", client.Address.Host);
        Assert.Equal("sockit", client.Hello.Server);
    }

    [Fact]
    public async Task An_unknown_host_is_host_not_found()
    {
        var error = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync("no-such-host.invalid:9000").Within());

        Assert.Equal(SockitErrorCode.HostNotFound, error.Code);
    }

    [Fact]
    public async Task An_IPv6_literal_connects_over_IPv6()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            return; // IPv6 is compiled in but not configured on this machine.
        }

        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connecting = SockitClient.ConnectAsync($"[::1]:{port}");
        await using var connection = new FakeConnection(await listener.AcceptSocketAsync().WaitAsync(TestTimeout.Value));
        await connection.SendHelloAsync();

        await using var client = await connecting.Within();

        Assert.Equal("::1", client.Address.Host);
        listener.Stop();
    }

    [Fact]
    public async Task A_unix_socket_path_connects()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"sockit-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            var connecting = SockitClient.ConnectAsync($"unix:{path}");
            await using var connection = new FakeConnection(await listener.AcceptAsync().WaitAsync(TestTimeout.Value));
            await connection.SendHelloAsync();

            await using var client = await connecting.Within();
            var echo = client.EchoAsync("over unix");
            var request = await connection.ReceiveRequiredAsync();
            await connection.SendAsync($$"""{"op":"echo","id":{{request.Id}},"ok":true,"data_size":{{request.Body.Length}}}""", request.Body);

            Assert.Equal("over unix", await echo.Within());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_unix_socket_is_connection_refused()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"sockit-{Guid.NewGuid():N}.sock");

        var error = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync($"unix:{path}").Within());

        Assert.Equal(SockitErrorCode.ConnectionRefused, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
