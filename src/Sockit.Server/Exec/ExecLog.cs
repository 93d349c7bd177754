using Microsoft.Extensions.Logging;

namespace Sockit.Server.Exec;

/// <summary>
/// Log events of remote commands (event ids 1600-1699): one audit line per command that ran, and the refusals. The
/// command text comes from clients and is escaped before it gets here; output is never logged.
/// </summary>
internal static partial class ExecLog
{
    /// <summary>The audit line: who ran what, from where, and how it ended.</summary>
    public static void Ran(ILogger logger, string via, string user, string remote, string command, ExecOutcome outcome)
    {
        string ending = outcome.TimedOut ? "timed out" : outcome.Aborted ? "aborted" : "exited";
        LogRan(
            logger,
            via,
            user,
            remote,
            command,
            outcome.Exit.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            outcome.Exit.Signal is int signal ? Protocol.Exec.ExecSignals.NameOf(signal) : "-",
            ending,
            (long)outcome.Duration.TotalMilliseconds,
            outcome.StdoutBytes,
            outcome.StderrBytes,
            outcome.StdinBytes);
    }

    [LoggerMessage(1600, LogLevel.Information,
        "exec via={Via} user={User} remote={Remote} command={Command} exit_code={ExitCode} signal={Signal} ended={Ending} duration_ms={DurationMs} stdout_bytes={StdoutBytes} stderr_bytes={StderrBytes} stdin_bytes={StdinBytes}")]
    private static partial void LogRan(
        ILogger logger, string via, string user, string remote, string command, string exitCode, string signal, string ending, long durationMs, long stdoutBytes, long stderrBytes, long stdinBytes);

    [LoggerMessage(1601, LogLevel.Warning, "exec refused: via={Via} user={User} remote={Remote} command={Command}: {Code}: {Reason}")]
    public static partial void Refused(ILogger logger, string via, string user, string remote, string command, string code, string reason);

    [LoggerMessage(1602, LogLevel.Information, "Legacy command listener on {Address} ({Check})")]
    public static partial void LegacyListening(ILogger logger, string address, string check);

    [LoggerMessage(1603, LogLevel.Warning, "Legacy command listener: {Remote} failed the HMAC challenge ({Reason}); connection closed ({Unlogged} more failures not logged before this one)")]
    public static partial void LegacyChallengeFailed(ILogger logger, string remote, string reason, int unlogged);

    [LoggerMessage(1604, LogLevel.Information, "Legacy command listener: the output of {Command} passed {Limit} bytes; cut there and the command ended")]
    public static partial void LegacyOutputCut(ILogger logger, string command, long limit);

    [LoggerMessage(1605, LogLevel.Warning, "Legacy command listener: {Remote} sent an HTTP request, not a command (a web page may be reaching for the listener through a browser); connection closed, nothing run ({Unlogged} more not logged before this one)")]
    public static partial void LegacyHttpRefused(ILogger logger, string remote, int unlogged);
}
