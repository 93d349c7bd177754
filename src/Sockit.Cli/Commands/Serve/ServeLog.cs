using Microsoft.Extensions.Logging;

namespace Sockit.Cli.Commands.Serve;

/// <summary>Log events of <c>sockit serve</c> itself (event ids 1500-1599).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(1500, LogLevel.Information, "Stopping ({Reason}) with {Open} connections open; requests in progress get up to {GraceSeconds} s to finish (Sockit:ShutdownTimeout)")]
    public static partial void Stopping(ILogger logger, string reason, int open, double graceSeconds);

    [LoggerMessage(1501, LogLevel.Information, "Stopped after {Seconds:0.0} s")]
    public static partial void Stopped(ILogger logger, double seconds);

    [LoggerMessage(1502, LogLevel.Warning, "The shutdown grace period of {GraceSeconds} s ran out: connections still open were closed without a reply")]
    public static partial void GraceExpired(ILogger logger, double graceSeconds);

    [LoggerMessage(1503, LogLevel.Warning, "Another {Signal}: closing the connections still open now")]
    public static partial void StoppingNow(ILogger logger, string signal);
}
