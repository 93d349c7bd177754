using System.Security.Cryptography.X509Certificates;
using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;

namespace Sockit.IntegrationTests.Tls;

/// <summary>Where a TLS endpoint's certificate comes from, and the one-line errors when it cannot be had.</summary>
public sealed class TlsStartupTests : IDisposable
{
    private readonly TlsFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_tls_endpoint_without_a_certificate_does_not_start_and_says_what_to_set()
    {
        var failure = await Assert.ThrowsAsync<SockitException>(() => TestServer.StartAsync(listen: ["framed=tls://127.0.0.1:0"]));

        Assert.Equal(SockitErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("endpoint 'framed-1'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sockit:Tls:CertificateFile", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_certificate_file_is_named()
    {
        var missing = Path.Combine(_files.Directory, "nope.crt");

        var failure = await Assert.ThrowsAsync<SockitException>(() => StartAsync(("Sockit:Tls:CertificateFile", missing)));

        Assert.Equal(SockitErrorCode.InvalidArgument, failure.Code);
        Assert.Contains("not found: " + missing, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_certificate_is_refused_in_one_line()
    {
        var bogus = Path.Combine(_files.Directory, "bogus.crt");
        await File.WriteAllTextAsync(bogus, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var failure = await Assert.ThrowsAsync<SockitException>(() => StartAsync(("Sockit:Tls:CertificateFile", bogus)));

        Assert.StartsWith("cannot load the TLS certificate " + bogus, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pem_certificate_without_its_key_is_refused()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);

        var failure = await Assert.ThrowsAsync<SockitException>(() => StartAsync(("Sockit:Tls:CertificateFile", certificate.CertificateFile)));

        Assert.Contains(certificate.CertificateFile, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_protected_pfx_certificate_is_served()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        var pfx = Path.Combine(_files.Directory, "server.pfx");
        using (var withKey = X509Certificate2.CreateFromPemFile(certificate.CertificateFile, certificate.KeyFile))
        {
            await File.WriteAllBytesAsync(pfx, withKey.Export(X509ContentType.Pkcs12, "s3cret"));
        }

        await using var server = await StartAsync(("Sockit:Tls:CertificateFile", pfx), ("Sockit:Tls:Password", "s3cret"));

        await AssertServesAsync(server, certificate);
    }

    [Fact]
    public async Task Relative_paths_in_a_config_file_start_from_the_config_files_folder()
    {
        var certificate = _files.Create("server", ["127.0.0.1"]);
        var config = Path.Combine(_files.Directory, "sockit.json");
        await File.WriteAllTextAsync(config, """
            { "Sockit": { "Endpoints": { "secure": { "Url": "tls://127.0.0.1:0",
              "Tls": { "CertificateFile": "server.crt", "KeyFile": "server.key" } } } } }
            """);

        var server = SockitServer.Create(new SockitServerSettings
        {
            ConfigFile = config,
            UseEnvironment = false,
            ConfigureLogging = _ => { },

            // The local login key would otherwise go to the user's own config folder.
            Overrides = new Dictionary<string, string?> { ["Sockit:Auth:LocalCredentialsFile"] = "local-credentials.json" },
        });
        await using (server)
        {
            await server.StartAsync();
            await using var client = await SockitClient.ConnectAsync(
                server.Endpoints[0].Address, new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = certificate.Fingerprint } });
            Assert.Equal("relative", await client.EchoAsync("relative"));
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task An_endpoints_own_certificate_wins_over_the_server_wide_one()
    {
        var shared = _files.Create("shared", ["127.0.0.1"]);
        var own = _files.Create("own", ["127.0.0.1"]);

        await using var server = await StartAsync(
            ("Sockit:Tls:CertificateFile", shared.CertificateFile),
            ("Sockit:Tls:KeyFile", shared.KeyFile),
            ("Sockit:Endpoints:a:Url", "tls://127.0.0.1:0"),
            ("Sockit:Endpoints:b:Url", "tls://127.0.0.1:0"),
            ("Sockit:Endpoints:b:Tls:CertificateFile", own.CertificateFile),
            ("Sockit:Endpoints:b:Tls:KeyFile", own.KeyFile));

        var a = server.Server.Endpoints.Single(e => e.Name == "a").Address;
        var b = server.Server.Endpoints.Single(e => e.Name == "b").Address;
        await using var toA = await SockitClient.ConnectAsync(a, new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = shared.Fingerprint } });
        await using var toB = await SockitClient.ConnectAsync(b, new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = own.Fingerprint } });
        Assert.Equal("a", await toA.EchoAsync("a"));
        Assert.Equal("b", await toB.EchoAsync("b"));
    }

    private static async Task AssertServesAsync(TestServer server, TestCertificate certificate)
    {
        await using var client = await SockitClient.ConnectAsync(server.Tls, new SockitClientOptions { Tls = new SockitTlsOptions { Fingerprint = certificate.Fingerprint } });
        Assert.Equal("served", await client.EchoAsync("served"));
    }

    private static Task<TestServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var overrides = settings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value);
        return overrides.Keys.Any(key => key.StartsWith("Sockit:Endpoints:", StringComparison.Ordinal))
            ? TestServer.StartAsync(overrides, [])
            : TestServer.StartAsync(overrides, ["framed=tls://127.0.0.1:0"]);
    }
}
