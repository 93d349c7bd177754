namespace Sockit.Server.Exec.Internal;

/// <summary>How a spawned child's standard descriptors are connected to the parent.</summary>
internal enum SpawnMode
{
    /// <summary>
    /// Three pipes, so stdout and stderr stay apart; the child leads a new process group so its whole tree can be
    /// signalled at once.
    /// </summary>
    Pipes,

    /// <summary>
    /// A pseudo-terminal as fds 0, 1 and 2 and the child's controlling terminal, for programs that only behave
    /// interactively on a tty (shells, editors, password prompts). stdout and stderr arrive merged on the master.
    /// </summary>
    Pty,
}
