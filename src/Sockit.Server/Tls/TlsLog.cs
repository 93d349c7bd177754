using Microsoft.Extensions.Logging;

namespace Sockit.Server.Tls;

/// <summary>Log events of TLS endpoints (event ids 1300-1399).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(1300, LogLevel.Information, "{Endpoint} serves TLS with {Subject}, SHA-256 {Fingerprint}, valid until {NotAfter:u}")]
    public static partial void Serving(ILogger logger, string endpoint, string subject, string fingerprint, DateTime notAfter);

    [LoggerMessage(1301, LogLevel.Warning, "The TLS certificate of {Endpoint} expired on {NotAfter:u}: clients will refuse it")]
    public static partial void Expired(ILogger logger, string endpoint, DateTime notAfter);

    [LoggerMessage(1302, LogLevel.Warning, "The TLS certificate of {Endpoint} is not valid until {NotBefore:u}: clients will refuse it until then")]
    public static partial void NotYetValid(ILogger logger, string endpoint, DateTime notBefore);

    // A client that refuses the certificate, or speaks plain TCP to a TLS port, is the client's problem, not the server's.
    [LoggerMessage(1303, LogLevel.Debug, "TLS handshake on {Endpoint} failed or was abandoned by the client")]
    public static partial void HandshakeFailed(ILogger logger, string endpoint);
}
