namespace Sockit.Client.Exec;

/// <summary>How a remote command ended (the final reply to <c>exec</c>).</summary>
/// <param name="ExitCode">The exit code (0 to 255), or <see langword="null"/> when a signal ended the command.</param>
/// <param name="Signal">The number of the signal that ended the command, if one did.</param>
/// <param name="SignalName">The signal's name without <c>SIG</c> (<c>KILL</c>), if one ended the command.</param>
/// <param name="TimedOut">Whether the server ended it for outliving its timeout.</param>
/// <param name="Cancelled">Whether a cancel ended it.</param>
/// <param name="Duration">From start to exit, as the server measured it.</param>
/// <param name="StdoutBytes">Bytes of standard output the server sent.</param>
/// <param name="StderrBytes">Bytes of standard error the server sent.</param>
/// <param name="StdinBytes">Bytes of input the command was given.</param>
public sealed record ExecResult(
    int? ExitCode,
    int? Signal,
    string? SignalName,
    bool TimedOut,
    bool Cancelled,
    TimeSpan Duration,
    long StdoutBytes,
    long StderrBytes,
    long StdinBytes)
{
    /// <summary>
    /// The status a shell would report, as <c>ssh</c> exits with: the exit code, or 128 + the signal's number.
    /// </summary>
    public int ShellStatus => ExitCode ?? 128 + (Signal ?? 0);
}
