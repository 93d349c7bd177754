using System.Text;
using Sockit.LocalFiles;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Tls;

/// <summary>
/// Makes self-signed server certificates (ECDSA P-256) for <c>sockit cert</c>, and writes them as a PEM
/// certificate and a PEM PKCS#8 key that only its owner can read.
/// </summary>
public static class SelfSignedCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// A certificate for every name in <paramref name="hosts"/> (DNS names, or IP literals), the first one also
    /// its common name, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.
    /// </summary>
    /// <exception cref="SockitException">A host is not a DNS name or an IP address (<c>invalid_argument</c>).</exception>
    public static X509Certificate2 Create(IReadOnlyList<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "name at least one host for the certificate");
        }

        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            var bare = host.Trim('[', ']');
            if (IPAddress.TryParse(bare, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else if (Uri.CheckHostName(host) == UriHostNameType.Dns)
            {
                names.AddDnsName(host);
            }
            else
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"'{host}' is not a host name or an IP address");
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={hosts[0].Trim('[', ']')}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>A certificate valid from a few minutes ago (clocks differ) for <paramref name="days"/> days.</summary>
    public static X509Certificate2 Create(IReadOnlyList<string> hosts, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var now = DateTimeOffset.UtcNow;
        return Create(hosts, now.AddMinutes(-5), now.AddDays(days));
    }

    /// <summary>
    /// Writes <paramref name="certificate"/> to <paramref name="certificatePath"/> (PEM) and its private key to
    /// <paramref name="keyPath"/> (PEM PKCS#8). The key file is created readable by its owner only, from the start;
    /// the certificate is public.
    /// </summary>
    /// <exception cref="SockitException">A file exists and <paramref name="overwrite"/> is not set.</exception>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        foreach (var path in (string[])[certificatePath, keyPath])
        {
            if (!overwrite && File.Exists(path))
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"{path} exists; use --force to replace it");
            }
        }

        // New files moved into place: an old file's looser mode never carries over, and no reader sees half a key.
        OwnerOnlyFile.WriteAtomically(keyPath, stream => WritePem(stream, key.ExportPkcs8PrivateKeyPem()));
        OwnerOnlyFile.WriteAtomically(
            certificatePath, stream => WritePem(stream, certificate.ExportCertificatePem()), readableByOthers: true);
    }

    private static void WritePem(Stream stream, string pem) => stream.Write(Encoding.ASCII.GetBytes(pem + "\n"));
}
