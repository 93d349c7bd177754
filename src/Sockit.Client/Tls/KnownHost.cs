namespace Sockit.Client.Tls;

/// <summary>One line of a known-hosts file.</summary>
/// <param name="HostPort">The server, <c>host:port</c>.</param>
/// <param name="Fingerprint">The SHA-256 fingerprint remembered for it.</param>
/// <param name="Line">The 1-based line number, for messages.</param>
internal sealed record KnownHost(string HostPort, byte[] Fingerprint, int Line);
