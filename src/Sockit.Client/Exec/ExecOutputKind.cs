namespace Sockit.Client.Exec;

/// <summary>Which of a remote command's output streams a chunk came from.</summary>
public enum ExecOutputKind
{
    /// <summary>Standard output; with a pseudo-terminal, everything the terminal shows.</summary>
    Stdout,

    /// <summary>Standard error, kept apart from standard output.</summary>
    Stderr,
}
