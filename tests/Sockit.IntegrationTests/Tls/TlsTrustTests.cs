using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Tls;

/// <summary>How the client decides to trust a TLS server: pins, known hosts, validity dates, host names.</summary>
public sealed class TlsTrustTests : IDisposable
{
    private readonly TlsFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_pinned_fingerprint_connects_and_echoes()
    {
        var certificate = _files.Create("server", ["localhost"]);
        await using var server = await TlsFiles.StartServerAsync(certificate);

        await using var client = await SockitClient.ConnectAsync(server.Tls, Pinned(certificate.Fingerprint));

        Assert.Equal("HELLO", await client.EchoAsync("hello", upper: true));
    }

    private static SockitClientOptions Pinned(string fingerprint) => new() { Tls = new SockitTlsOptions { Fingerprint = fingerprint } };
}
