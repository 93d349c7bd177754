using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Tls;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Hosting;

/// <summary>An endpoint that cannot be bound is named as it was configured, whatever its kind.</summary>
public sealed class ListenFailureTests : IDisposable
{
    private readonly TlsFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_tls_address_in_use_is_named_tls_not_https()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var first = await TlsFiles.StartServerAsync(certificate, "framed=tls://127.0.0.1:0");
        var taken = first.Tls;

        var failure = await Assert.ThrowsAsync<SockitException>(() => TlsFiles.StartServerAsync(certificate, $"framed={taken}"));

        Assert.Equal($"cannot listen on {taken}: address already in use (is another server running?)", failure.Message);
        Assert.StartsWith("tls://", taken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tcp_address_in_use_is_named()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"tcp://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var failure = await Assert.ThrowsAsync<SockitException>(() => TestServer.StartAsync(listen: [$"framed={address}"]));

        Assert.Equal($"cannot listen on {address}: address already in use (is another server running?)", failure.Message);
    }

    [Fact]
    public async Task A_udp_address_in_use_is_named()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var address = $"udp://127.0.0.1:{((IPEndPoint)taken.LocalEndPoint!).Port}";

        var failure = await Assert.ThrowsAsync<SockitException>(
            () => TestServer.StartAsync(listen: ["framed=tcp://127.0.0.1:0", $"upper-echo={address}"]));

        Assert.Equal(SockitErrorCode.InvalidAddress, failure.Code);
        Assert.Equal($"cannot listen on {address}: address already in use (is another server running?)", failure.Message);
    }

    [Fact]
    public async Task A_host_name_is_looked_up_as_the_server_starts_and_served()
    {
        await using var server = await TestServer.StartAsync(listen: ["framed=tcp://localhost:0"]);

        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        await Framed.BadInputTests.AssertServesEchoAsync(connection);
        Assert.Equal("localhost", server.Framed.Host);
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_fails_the_start_with_host_not_found()
    {
        var failure = await Assert.ThrowsAsync<SockitException>(() => TestServer.StartAsync(listen: ["framed=tcp://no-such-host.invalid:0"]));

        Assert.Equal(SockitErrorCode.HostNotFound, failure.Code);
        Assert.Contains("no-such-host.invalid", failure.Message, StringComparison.Ordinal);
    }
}
