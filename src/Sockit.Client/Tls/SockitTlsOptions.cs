using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Tls;

namespace Sockit.Client.Tls;

/// <summary>
/// How a <see cref="SockitClient"/> decides to trust the server of a <c>tls://</c> address. In order: a certificate
/// outside its validity dates is always refused; a pinned <see cref="Fingerprint"/> is the whole trust; otherwise a
/// certificate the system trusts for the host name is accepted; otherwise the <see cref="KnownHostsFile"/> decides
/// (trust on first use, like SSH).
/// </summary>
public sealed record SockitTlsOptions
{
    /// <summary>The system trust store, no pin, no known-hosts file.</summary>
    public static SockitTlsOptions Default { get; } = new();

    /// <summary>The name the certificate must carry (and the SNI sent); <see langword="null"/> takes the address's host.</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// The SHA-256 fingerprint the server's certificate must have, as hex in either case, with or without colons
    /// (<c>openssl x509 -fingerprint -sha256</c> prints it). When set, the host name and issuer are not checked.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// A known-hosts file: one <c>HOST:PORT FINGERPRINT</c> line per server, <c>#</c> starting a comment. A server it
    /// lists must present the same certificate; <see langword="null"/> uses no file.
    /// </summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>Trust and remember a server that <see cref="KnownHostsFile"/> does not list yet, without asking.</summary>
    public bool AcceptNew { get; init; }

    /// <summary>
    /// Asked, after the handshake and before anything is exchanged, about a server that the known-hosts file does not
    /// list and the system does not trust; <see langword="true"/> trusts it and adds it to the file.
    /// </summary>
    public Func<ServerCertificateInfo, bool>? OnUnknownCertificate { get; init; }

    /// <summary>Whether to check the chain's revocation lists online (system-trusted certificates only).</summary>
    public bool CheckRevocation { get; init; }

    /// <summary>
    /// Roots to trust instead of the system trust store (a private certificate authority); <see langword="null"/>
    /// uses the system's.
    /// </summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>The pinned fingerprint's bytes, or <see langword="null"/>.</summary>
    internal byte[]? PinnedFingerprint =>
        CertificateFingerprint.TryParse(Fingerprint, out var pinned) ? pinned : null;

    internal void Validate()
    {
        if (Fingerprint is not null && !CertificateFingerprint.TryParse(Fingerprint, out _))
        {
            throw new ArgumentException(
                $"'{Fingerprint}' is not a SHA-256 fingerprint: {CertificateFingerprint.Length} bytes in hex, with or without colons",
                nameof(Fingerprint));
        }
    }
}
