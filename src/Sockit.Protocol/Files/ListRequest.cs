using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>An <c>ls</c> request: the entries of a folder (or one file), streamed in parts.</summary>
public sealed class ListRequest
{
    /// <summary>Always <c>ls</c>.</summary>
    public string Op { get; set; } = Ops.Ls;

    /// <summary>The request id; needed for parts.</summary>
    public long? Id { get; set; }

    /// <summary>The folder, relative to the home; the home when absent.</summary>
    public string? Path { get; set; }
}
