namespace Sockit.Client.Tls;

/// <summary>What a client knows about a server certificate it is asked to trust on first use.</summary>
/// <param name="HostPort">The server, as <c>host:port</c>.</param>
/// <param name="Fingerprint">The certificate's SHA-256 fingerprint, <c>AB:CD:...</c>.</param>
/// <param name="Subject">The certificate's subject, e.g. <c>CN=example.com</c>.</param>
/// <param name="NotBefore">Start of its validity.</param>
/// <param name="NotAfter">End of its validity.</param>
/// <param name="KnownHostsFile">The file it will be remembered in.</param>
public sealed record ServerCertificateInfo(
    string HostPort, string Fingerprint, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KnownHostsFile);
