using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;
using Sockit.Server.Tls;

namespace Sockit.Server.Tests.Tls;

public sealed class SelfSignedCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sockit-cert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_certificate_names_every_host_and_is_for_server_authentication_only()
    {
        using var certificate = SelfSignedCertificate.Create(["db.example", "192.0.2.1", "[2001:db8::1]"], 10);

        Assert.Equal("CN=db.example", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["db.example"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")], names.EnumerateIPAddresses());
        var usage = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        using var publicKey = certificate.GetECDsaPublicKey();
        Assert.Equal(256, publicKey?.KeySize);
    }

    [Fact]
    public void Validity_starts_a_little_early_for_clock_skew_and_lasts_the_days_asked()
    {
        using var certificate = SelfSignedCertificate.Create(["localhost"], 825);

        Assert.InRange(certificate.NotBefore.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow);
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(824), DateTime.UtcNow.AddDays(826));
    }

    [Theory]
    [InlineData("bad host")]
    [InlineData("")]
    public void A_host_that_is_neither_a_name_nor_an_address_is_refused(string host) =>
        Assert.Equal(SockitErrorCode.InvalidArgument, Assert.Throws<SockitException>(() => SelfSignedCertificate.Create([host], 1)).Code);

    [Fact]
    public void Written_pem_files_load_back_with_their_key()
    {
        using var certificate = SelfSignedCertificate.Create(["localhost"], 1);
        var crt = Path.Combine(_directory, "localhost.crt");
        var key = Path.Combine(_directory, "localhost.key");

        SelfSignedCertificate.WritePem(certificate, crt, key, overwrite: false);

        using var loaded = X509Certificate2.CreateFromPemFile(crt, key);
        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key), StringComparison.Ordinal);
        Assert.Throws<SockitException>(() => SelfSignedCertificate.WritePem(certificate, crt, key, overwrite: false));
    }

    [Fact]
    public void The_server_offers_tls_1_2_and_1_3_only() =>
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, SockitServer.TlsProtocols);
}
