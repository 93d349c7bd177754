using System.Security.Cryptography.X509Certificates;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Tls;
using Sockit.Server.Tls;

namespace Sockit.IntegrationTests.Tls;

/// <summary>A temporary folder of test certificates and known-hosts files, and servers that present them.</summary>
public sealed class TlsFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sockit-tls-").FullName;

    public string KnownHosts => Path.Combine(Directory, "config", "known_hosts");

    /// <summary>Writes a certificate for <paramref name="hosts"/> as NAME.crt and NAME.key.</summary>
    public TestCertificate Create(string name, string[] hosts, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = SelfSignedCertificate.Create(hosts, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(30));
        var crt = Path.Combine(Directory, name + ".crt");
        var key = Path.Combine(Directory, name + ".key");
        SelfSignedCertificate.WritePem(certificate, crt, key, overwrite: false);
        return new TestCertificate(crt, key, CertificateFingerprint.Format(certificate), X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    /// <summary>A server with a framed TLS endpoint and a plain framed one, presenting <paramref name="certificate"/>.</summary>
    public static Task<TestServer> StartServerAsync(TestCertificate certificate, params string[] listen) =>
        TestServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Sockit:Tls:CertificateFile"] = certificate.CertificateFile,
                ["Sockit:Tls:KeyFile"] = certificate.KeyFile,
            },
            listen.Length > 0 ? listen : ["framed=tls://127.0.0.1:0", "framed=tcp://127.0.0.1:0"]);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
