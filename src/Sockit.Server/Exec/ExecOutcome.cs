using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Exec;

/// <summary>How a command ended and what passed through it.</summary>
/// <param name="Exit">The exit code or terminating signal.</param>
/// <param name="TimedOut">Whether its timeout cut it short.</param>
/// <param name="Aborted">Whether it was cut short because its request was aborted (cancel, disconnect, shutdown).</param>
/// <param name="Duration">From start to the leader's exit.</param>
/// <param name="StdoutBytes">Bytes of standard output (or terminal output) passed on.</param>
/// <param name="StderrBytes">Bytes of standard error passed on.</param>
/// <param name="StdinBytes">Bytes of input given to the command.</param>
internal sealed record ExecOutcome(ChildExit Exit, bool TimedOut, bool Aborted, TimeSpan Duration, long StdoutBytes, long StderrBytes, long StdinBytes);
