namespace Sockit.Cli;

/// <summary>
/// Standard output (or error) was closed by whatever reads it: <c>sockit exec -- yes | head -1</c> once <c>head</c> has
/// its line. Not a failure to report: sockit stops, and the remote command with it, as a program SIGPIPE ends would.
/// </summary>
internal sealed class OutputClosedException : IOException
{
    public OutputClosedException()
        : base("standard output was closed by its reader")
    {
    }

    public OutputClosedException(string message)
        : base(message)
    {
    }

    public OutputClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
