using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Exec;

/// <summary>A <c>part</c> of an <c>exec</c> request: a chunk of the command's output, as it was written.</summary>
public sealed class ExecOutput
{
    /// <summary>Always <c>part</c>.</summary>
    public string Kind { get; set; } = "part";

    /// <summary>Always <c>exec</c>.</summary>
    public string Op { get; set; } = Ops.Exec;

    /// <summary>The request's id.</summary>
    public long? Id { get; set; }

    /// <summary><see cref="ExecStreams.Stdout"/> or <see cref="ExecStreams.Stderr"/>.</summary>
    public string Stream { get; set; } = ExecStreams.Stdout;

    /// <summary>Size of the chunk that follows (at most 64 KiB).</summary>
    public long DataSize { get; set; }
}
