using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Tls;

namespace Sockit.Client.Tls;

/// <summary>
/// Decides whether to trust the server's certificate during the handshake. The handshake can only be told yes
/// or no, so the reason for a no is kept in <see cref="Refusal"/> for the caller to throw afterwards.
/// </summary>
internal sealed class ServerCertificateVerifier(SockitTlsOptions options, SockitAddress address, DateTimeOffset now)
{
    private readonly string _hostPort = address.HostPort.ToLowerInvariant();

    /// <summary>Why the certificate was refused; <see langword="null"/> when it was not.</summary>
    public SockitException? Refusal { get; private set; }

    /// <summary>
    /// A certificate accepted only for now: the known-hosts file does not list it yet, and the caller still has to
    /// confirm (or <see cref="SockitTlsOptions.AcceptNew"/>) and remember it.
    /// </summary>
    public ServerCertificateInfo? Unknown { get; private set; }

    /// <summary>Its fingerprint, once <see cref="Verify"/> has seen a certificate.</summary>
    public byte[]? Fingerprint { get; private set; }

    /// <summary>The handshake's verdict on the certificate.</summary>
    public bool Verify(X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (presented is not X509Certificate2 certificate)
        {
            return Refuse(SockitErrorCode.CertificateUntrusted, $"{_hostPort} presented no certificate");
        }

        var fingerprint = CertificateFingerprint.Compute(certificate);
        Fingerprint = fingerprint;
        var shown = CertificateFingerprint.Format(fingerprint);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now < notBefore || now > notAfter)
        {
            var state = now > notAfter ? "expired on " + Date(notAfter) : "is not valid until " + Date(notBefore);
            return Refuse(
                SockitErrorCode.CertificateExpired,
                $"the certificate of {_hostPort} {state} (valid {Date(notBefore)} to {Date(notAfter)}); refusing it");
        }

        if (options.PinnedFingerprint is { } pinned)
        {
            return pinned.AsSpan().SequenceEqual(fingerprint) || Refuse(
                SockitErrorCode.CertificateUntrusted,
                $"the certificate of {_hostPort} does not match the pinned fingerprint: expected {CertificateFingerprint.Format(pinned)}, got {shown}");
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var why = Why(certificate, chain, errors);
        if (options.KnownHostsFile is not { } file)
        {
            return Refuse(
                SockitErrorCode.CertificateUntrusted,
                $"the certificate of {_hostPort} is not trusted: {why}; its SHA-256 fingerprint is {shown} (pin it with --fingerprint, or trust it on first use with --accept-new)");
        }

        var knownHosts = new KnownHostsFile(file);
        var known = knownHosts.Find(_hostPort);
        if (known.Any(line => line.Fingerprint.AsSpan().SequenceEqual(fingerprint)))
        {
            return true;
        }

        if (known.Count > 0)
        {
            return Refuse(
                SockitErrorCode.CertificateChanged,
                $"WARNING: the certificate of {_hostPort} has CHANGED since it was remembered: someone may be intercepting the connection, "
                + $"or the server has a new certificate. Expected {CertificateFingerprint.Format(known[0].Fingerprint)}, got {shown}; "
                + $"if this is expected, remove line {known[0].Line} of {knownHosts.Path}");
        }

        if (options.AcceptNew || options.OnUnknownCertificate is not null)
        {
            Unknown = new ServerCertificateInfo(_hostPort, shown, certificate.Subject, notBefore, notAfter, knownHosts.Path);
            return true;
        }

        return Refuse(
            SockitErrorCode.CertificateUntrusted,
            $"the certificate of {_hostPort} is not known ({why}); its SHA-256 fingerprint is {shown}: "
            + "check it, then pin it with --fingerprint or trust it on first use with --accept-new");
    }

    private static string Why(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
                .SelectMany(names => names.EnumerateDnsNames().Concat(names.EnumerateIPAddresses().Select(ip => ip.ToString())))
                .ToList();
            reasons.Add($"the host name does not match: it is for {(names.Count > 0 ? string.Join(", ", names) : certificate.Subject)}");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var status = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0);
            reasons.Add("the system does not trust its issuer" + (status is null ? string.Empty : $" ({status.TrimEnd('.')})"));
        }

        return reasons.Count > 0 ? string.Join("; ", reasons) : errors.ToString();
    }

    private static string Date(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private bool Refuse(SockitErrorCode code, string message)
    {
        Refusal = new SockitConnectionException(code, message);
        return false;
    }
}
