using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Exec;

/// <summary>The final reply to an <c>exec</c> request: how the command ended, once all its output was sent.</summary>
public sealed class ExecReply
{
    /// <summary>Always <c>exec</c>.</summary>
    public string Op { get; set; } = Ops.Exec;

    /// <summary>The request's id.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>: errors are <c>ErrorReply</c> frames.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The exit code (0 to 255), or <see langword="null"/> when a signal ended the command.</summary>
    public int? ExitCode { get; set; }

    /// <summary>The number of the signal that ended the command, if one did.</summary>
    public int? Signal { get; set; }

    /// <summary>The signal's name without <c>SIG</c> (<c>KILL</c>), if one ended the command.</summary>
    public string? SignalName { get; set; }

    /// <summary>Whether the timeout ended the command.</summary>
    public bool TimedOut { get; set; }

    /// <summary>Whether a <c>cancel</c> frame ended the command.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Milliseconds from start to exit.</summary>
    public long DurationMs { get; set; }

    /// <summary>Bytes of standard output sent.</summary>
    public long StdoutBytes { get; set; }

    /// <summary>Bytes of standard error sent.</summary>
    public long StderrBytes { get; set; }

    /// <summary>Bytes of input given to the command.</summary>
    public long StdinBytes { get; set; }

    /// <summary>Always 0: the reply has no body.</summary>
    public long DataSize { get; set; }
}
