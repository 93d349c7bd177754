using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Transport;

/// <summary>Log events of listening sockets and the connection budget (event ids 1400-1499).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(1400, LogLevel.Warning, "Cannot accept on {Endpoint}: {Error}; waiting {WaitMs} ms while open connections are served")]
    public static partial void AcceptBackingOff(ILogger logger, string endpoint, string error, double waitMs);

    [LoggerMessage(1401, LogLevel.Information, "Accepting on {Endpoint} again")]
    public static partial void AcceptResumed(ILogger logger, string endpoint);

    [LoggerMessage(1402, LogLevel.Debug, "An accept failed ({Error}); taking the next client")]
    public static partial void AcceptFailed(ILogger logger, string error);

    [LoggerMessage(1403, LogLevel.Information, "Connection limit {Limit} ({PerAddress} per address); open-file limit {SoftLimit} with {InUse} open and {Reserve} kept free")]
    public static partial void ConnectionBudget(ILogger logger, int limit, string perAddress, string softLimit, int inUse, long reserve);

    [LoggerMessage(1404, LogLevel.Warning, "Connection limit lowered from {Configured} to {Limit} to fit the open-file limit of {SoftLimit} ({InUse} open, {Reserve} kept free); raise the limit (ulimit -n, LimitNOFILE=) to serve more")]
    public static partial void ConnectionLimitLowered(ILogger logger, int configured, int limit, long softLimit, int inUse, long reserve);

    [LoggerMessage(1411, LogLevel.Warning, "Running commands limited to {Commands} (Sockit:Exec:MaxRunning {ConfiguredCommands}) and uploads and downloads to {Transfers} (Sockit:Files:MaxTransfers {ConfiguredTransfers}) to fit the open-file limit of {SoftLimit}; raise the limit (ulimit -n, LimitNOFILE=) to run more")]
    public static partial void WorkLimitsLowered(ILogger logger, int commands, int configuredCommands, int transfers, int configuredTransfers, long softLimit);

    [LoggerMessage(1405, LogLevel.Information, "Raised the open-file limit from {From} to {To}")]
    public static partial void DescriptorLimitRaised(ILogger logger, long from, long to);

    [LoggerMessage(1407, LogLevel.Error, "Connection {ConnectionId}: receiving failed")]
    public static partial void ConnectionReceiveFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(1408, LogLevel.Error, "Connection {ConnectionId}: sending failed")]
    public static partial void ConnectionSendFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(1409, LogLevel.Error, "Connection {ConnectionId}: its socket loops failed")]
    public static partial void ConnectionLoopFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(1410, LogLevel.Error, "Connection {ConnectionId}: a handler of its end failed")]
    public static partial void ConnectionClosedCallbackFailed(ILogger logger, string connectionId, Exception exception);
}
