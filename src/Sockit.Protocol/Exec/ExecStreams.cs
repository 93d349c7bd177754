namespace Sockit.Protocol.Exec;

/// <summary>The names of a command's output streams in <see cref="ExecOutput.Stream"/>.</summary>
public static class ExecStreams
{
    /// <summary>Standard output (and, with a pseudo-terminal, everything the terminal shows).</summary>
    public const string Stdout = "stdout";

    /// <summary>Standard error, kept apart from standard output.</summary>
    public const string Stderr = "stderr";
}
