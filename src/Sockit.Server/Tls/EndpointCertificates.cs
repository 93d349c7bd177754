using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Tls;
using Sockit.Server.Hosting;

namespace Sockit.Server.Tls;

/// <summary>
/// The certificates of the server's <c>tls://</c> endpoints, loaded once at start: a file shared by several
/// endpoints is read once, and a missing or broken one stops the server before anything listens.
/// </summary>
internal sealed class EndpointCertificates : IDisposable
{
    private readonly Dictionary<string, X509Certificate2> _byEndpoint = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<X509Certificate2> _loaded = [];

    private EndpointCertificates()
    {
    }

    /// <summary>Loads the certificate of every <c>tls://</c> endpoint in <paramref name="options"/>.</summary>
    /// <param name="options">The validated server options.</param>
    /// <param name="baseDirectory">What relative paths are relative to: the config file's folder, or the current one.</param>
    /// <exception cref="SockitException">An endpoint has no certificate, or it cannot be loaded.</exception>
    public static EndpointCertificates Load(SockitServerOptions options, string baseDirectory)
    {
        var certificates = new EndpointCertificates();
        var byFile = new Dictionary<(string, string?), X509Certificate2>();
        try
        {
            foreach (var (name, endpoint) in options.Endpoints)
            {
                if (SockitAddress.Parse(endpoint.Url, AddressScheme.Tcp, 0).Scheme != AddressScheme.Tls)
                {
                    continue;
                }

                var (tls, setting) = string.IsNullOrEmpty(endpoint.Tls?.CertificateFile)
                    ? (options.Tls, "Sockit:Tls:CertificateFile")
                    : (endpoint.Tls, $"Sockit:Endpoints:{name}:Tls:CertificateFile");
                if (string.IsNullOrEmpty(tls.CertificateFile))
                {
                    throw new SockitException(
                        SockitErrorCode.InvalidArgument,
                        $"endpoint '{name}' ({endpoint.Url}) needs a certificate: set {setting} (sockit serve --cert FILE --key FILE)");
                }

                var key = (Path.GetFullPath(tls.CertificateFile, baseDirectory), tls.KeyFile);
                if (!byFile.TryGetValue(key, out var certificate))
                {
                    certificate = ServerCertificateLoader.Load(tls, setting, baseDirectory);
                    byFile[key] = certificate;
                    certificates._loaded.Add(certificate);
                }

                certificates._byEndpoint[name] = certificate;
            }
        }
        catch
        {
            certificates.Dispose();
            throw;
        }

        return certificates;
    }

    /// <summary>The certificate of the endpoint called <paramref name="name"/>.</summary>
    public X509Certificate2 For(string name) => _byEndpoint[name];

    /// <summary>Logs what each endpoint presents, and warns about a certificate that clients will refuse.</summary>
    public void Report(ILogger logger, DateTimeOffset now)
    {
        foreach (var (name, certificate) in _byEndpoint)
        {
            TlsLog.Serving(logger, name, certificate.Subject, CertificateFingerprint.Format(certificate), certificate.NotAfter.ToUniversalTime());
            if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            {
                TlsLog.Expired(logger, name, certificate.NotAfter.ToUniversalTime());
            }
            else if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                TlsLog.NotYetValid(logger, name, certificate.NotBefore.ToUniversalTime());
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var certificate in _loaded)
        {
            certificate.Dispose();
        }
    }
}
