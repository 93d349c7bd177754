using Microsoft.Extensions.Logging;
using Sockit.Protocol.Text;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// Log events of stream connections (event ids 1000-1099). No payload bytes are logged above Trace. Messages and op
/// names can carry a client's text, so they are escaped here (<see cref="UntrustedText"/>) whoever built them.
/// </summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Connection accepted on {Endpoint}")]
    public static partial void Accepted(ILogger logger, string endpoint);

    [LoggerMessage(1001, LogLevel.Debug, "Connection closed by the client")]
    public static partial void ClosedByClient(ILogger logger);

    [LoggerMessage(1012, LogLevel.Debug, "The client closed its socket with {Running} requests running; they are stopped")]
    public static partial void GoneWithRequestsRunning(ILogger logger, int running);

    [LoggerMessage(1002, LogLevel.Debug, "Connection dropped abruptly: {Reason}")]
    public static partial void Dropped(ILogger logger, string reason);

    /// <summary>
    /// Logs a refused connection, a few a second at most: refusals cost a client nothing, so each one logged would let
    /// it flood the log. The next line logged counts those left out.
    /// </summary>
    public static void Refused(ILogger logger, ConnectionLimiter limiter, ConnectionAdmission admission, string address)
    {
        if (!limiter.RefusalLog.TryTake(out int unlogged))
        {
            return;
        }

        if (admission == ConnectionAdmission.AddressFull)
        {
            RefusedAddress(logger, address, limiter.PerAddressLimit, unlogged);
        }
        else
        {
            RefusedBusy(logger, limiter.Current, limiter.Limit, unlogged);
        }
    }

    [LoggerMessage(1003, LogLevel.Warning, "Refused a connection: {Current} of {Limit} connections in use ({Unlogged} more refusals not logged before this one)")]
    private static partial void RefusedBusy(ILogger logger, int current, int limit, int unlogged);

    public static void ProtocolError(ILogger logger, string code, string message) =>
        LogProtocolError(logger, code, EscapeMessage(message));

    [LoggerMessage(1005, LogLevel.Debug, "Closing the connection: {Code}")]
    public static partial void TimedOut(ILogger logger, string code);

    [LoggerMessage(1006, LogLevel.Debug, "Closing the connection for shutdown")]
    public static partial void ClosingForShutdown(ILogger logger);

    [LoggerMessage(1007, LogLevel.Error, "Unexpected failure serving the connection")]
    public static partial void Failed(ILogger logger, Exception exception);

    public static void RequestFailed(ILogger logger, string op, string code, string message) =>
        LogRequestFailed(logger, UntrustedText.Escape(op), code, EscapeMessage(message));

    public static void AbortedMidReply(ILogger logger, string code, string message) =>
        LogAbortedMidReply(logger, code, EscapeMessage(message));

    private static string EscapeMessage(string message) => UntrustedText.Escape(message, UntrustedText.MaxMessageLength);

    [LoggerMessage(1004, LogLevel.Information, "Closing the connection after a protocol error {Code}: {Message}")]
    private static partial void LogProtocolError(ILogger logger, string code, string message);

    [LoggerMessage(1008, LogLevel.Debug, "Request {Op} failed with {Code}: {Message}")]
    private static partial void LogRequestFailed(ILogger logger, string op, string code, string message);

    [LoggerMessage(1010, LogLevel.Information, "Closing the connection in the middle of a streamed reply after {Code}: {Message}")]
    private static partial void LogAbortedMidReply(ILogger logger, string code, string message);

    [LoggerMessage(1011, LogLevel.Warning, "Refused a connection from {Address}: it has {Limit} connections open already ({Unlogged} more refusals not logged before this one)")]
    private static partial void RefusedAddress(ILogger logger, string address, int limit, int unlogged);
}
