using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Tls;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Tls;

/// <summary>TLS endpoints as a transport: protocol versions, both services, and peers that do not speak TLS.</summary>
public sealed class TlsTransportTests : IDisposable
{
    private readonly TlsFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_endpoint_reports_its_tls_address()
    {
        await using var server = await TlsFiles.StartServerAsync(_files.Create("server", ["127.0.0.1"]));

        var endpoint = Assert.Single(server.Server.Endpoints, e => e.Address.Scheme == AddressScheme.Tls);

        Assert.StartsWith("tls://127.0.0.1:", endpoint.Address.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(0, endpoint.Address.Port);
    }

    [Fact]
    public async Task A_plain_client_on_the_tls_port_fails_cleanly_and_the_server_keeps_serving()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);
        await using var bystander = await SockitClient.ConnectAsync(server.Tls, Pinned(certificate));

        await using (var plain = await FrameConnection.OpenAsync(server.Tls with { Scheme = AddressScheme.Tcp }, readHello: false))
        {
            await plain.SendAsync(new EchoRequest { Op = "echo" }, SockitJsonContext.Default.EchoRequest);
            await plain.AssertClosedByServerAsync();
        }

        Assert.Equal("still here", await bystander.EchoAsync("still here"));
        await using var newcomer = await SockitClient.ConnectAsync(server.Tls, Pinned(certificate));
        Assert.Equal("and new", await newcomer.EchoAsync("and new"));
        Assert.Contains(server.Log.Entries, entry => entry.Event.Id == 1303 && entry.Level == LogLevel.Debug);
        Assert.DoesNotContain(server.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_client_refusing_the_certificate_costs_the_server_no_warning()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await Assert.ThrowsAsync<SockitConnectionException>(() => SockitClient.ConnectAsync(server.Tls));
        await using var client = await SockitClient.ConnectAsync(server.Tls, Pinned(certificate));

        Assert.Equal("fine", await client.EchoAsync("fine"));
        Assert.DoesNotContain(server.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_tls_client_on_a_plain_port_says_the_server_does_not_speak_tls()
    {
        await using var server = await TlsFiles.StartServerAsync(_files.Create("server", ["127.0.0.1"]));
        var plain = server.Framed with { Scheme = AddressScheme.Tls };

        var failure = await Assert.ThrowsAsync<SockitConnectionException>(
            () => SockitClient.ConnectAsync(plain, new SockitClientOptions { Tls = new SockitTlsOptions { AcceptNew = true, KnownHostsFile = _files.KnownHosts } }));

        Assert.Equal(SockitErrorCode.TlsFailed, failure.Code);
        Assert.Contains("did not complete a TLS handshake", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("is it serving TLS?", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_1_2_client_connects_and_a_modern_one_gets_tls_1_3()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        Assert.Equal(SslProtocols.Tls12, await HandshakeAsync(server.Tls, certificate, SslProtocols.Tls12));
        Assert.Equal(SslProtocols.Tls13, await HandshakeAsync(server.Tls, certificate, SslProtocols.None));
    }

    [Theory]
#pragma warning disable CA5397, SYSLIB0039 // offering the old versions is the point: the server must refuse them.
    [InlineData(SslProtocols.Tls11)]
    [InlineData(SslProtocols.Tls)]
#pragma warning restore CA5397, SYSLIB0039
    public async Task Protocols_older_than_tls_1_2_are_refused(SslProtocols old)
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(server.Tls, certificate, old));
    }

    [Fact]
    public async Task The_upper_echo_service_runs_over_tls()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate, "upper-echo=tls://127.0.0.1:0");
        var address = Assert.Single(server.Server.Endpoints).Address;

        await using var ssl = await OpenSslAsync(address, certificate);
        await ssl.WriteAsync("sally"u8.ToArray());
        var reply = new byte[5];
        await ssl.ReadExactlyAsync(reply);

        Assert.Equal("SALLY", Encoding.ASCII.GetString(reply));
    }

    [Fact]
    public async Task Framed_tls_and_plain_endpoints_serve_side_by_side()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        await BadInputTests.AssertServesEchoAsync(connection);
        await using var client = await SockitClient.ConnectAsync(server.Tls, Pinned(certificate));
        Assert.Equal(ServiceKind.Framed, server.Server.Endpoints[0].Service);
        Assert.Equal("both", await client.EchoAsync("both"));
    }

    private static SockitClientOptions Pinned(TestCertificate certificate) =>
        new() { Tls = new SockitTlsOptions { Fingerprint = certificate.Fingerprint } };

    private static async Task<SslProtocols> HandshakeAsync(SockitAddress address, TestCertificate certificate, SslProtocols protocols)
    {
        await using var ssl = await OpenSslAsync(address, certificate, protocols);
        return ssl.SslProtocol;
    }

    /// <summary>A bare TLS stream that trusts exactly <paramref name="certificate"/>.</summary>
    private static async Task<SslStream> OpenSslAsync(SockitAddress address, TestCertificate certificate, SslProtocols protocols = SslProtocols.None)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "127.0.0.1",
                    EnabledSslProtocols = protocols,
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is X509Certificate2 leaf && CertificateFingerprint.Format(leaf) == certificate.Fingerprint,
                },
                timeout.Token);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }
}
