using Microsoft.Extensions.Logging;

namespace Sockit.Server.Connections;

/// <summary>Log events of stream connections (event ids 1000-1099). No payload bytes are logged above Trace.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Connection accepted on {Endpoint}")]
    public static partial void Accepted(ILogger logger, string endpoint);

    [LoggerMessage(1001, LogLevel.Debug, "Connection closed by the client")]
    public static partial void ClosedByClient(ILogger logger);

    [LoggerMessage(1002, LogLevel.Debug, "Connection dropped abruptly: {Reason}")]
    public static partial void Dropped(ILogger logger, string reason);

    [LoggerMessage(1003, LogLevel.Warning, "Refused a connection: {Current} of {Limit} connections in use")]
    public static partial void RefusedBusy(ILogger logger, int current, int limit);

    [LoggerMessage(1004, LogLevel.Information, "Closing the connection after a protocol error {Code}: {Message}")]
    public static partial void ProtocolError(ILogger logger, string code, string message);

    [LoggerMessage(1005, LogLevel.Debug, "Closing the connection: {Code}")]
    public static partial void TimedOut(ILogger logger, string code);

    [LoggerMessage(1006, LogLevel.Debug, "Closing the connection for shutdown")]
    public static partial void ClosingForShutdown(ILogger logger);

    [LoggerMessage(1007, LogLevel.Error, "Unexpected failure serving the connection")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(1008, LogLevel.Debug, "Request {Op} failed with {Code}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string op, string code, string message);

    [LoggerMessage(1010, LogLevel.Information, "Closing the connection in the middle of a streamed reply after {Code}: {Message}")]
    public static partial void AbortedMidReply(ILogger logger, string code, string message);

    [LoggerMessage(1011, LogLevel.Warning, "Refused a connection from {Address}: it has {Limit} connections open already")]
    public static partial void RefusedAddress(ILogger logger, string address, int limit);
}
