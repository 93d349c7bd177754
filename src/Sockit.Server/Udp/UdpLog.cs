using Microsoft.Extensions.Logging;

namespace Sockit.Server.Udp;

/// <summary>Log events of UDP endpoints (event ids 1200-1299).</summary>
internal static partial class UdpLog
{
    [LoggerMessage(1200, LogLevel.Debug, "Datagram of {Count} bytes from {Remote} on {Endpoint}")]
    public static partial void Received(ILogger logger, int count, string remote, string endpoint);

    [LoggerMessage(1201, LogLevel.Debug, "UDP {Endpoint}: ignoring a socket error {Error}")]
    public static partial void SocketError(ILogger logger, string endpoint, string error);

    [LoggerMessage(1202, LogLevel.Error, "UDP {Endpoint}: the handler failed")]
    public static partial void HandlerFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(1203, LogLevel.Debug, "UDP {Endpoint}: no reply to {Remote}, which is over its reply rate")]
    public static partial void RateLimited(ILogger logger, string endpoint, string remote);
}
