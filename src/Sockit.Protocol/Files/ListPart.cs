using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>A part of an <c>ls</c> reply: up to 512 entries, in name order.</summary>
public sealed class ListPart
{
    /// <summary>Always <c>part</c>.</summary>
    public string Kind { get; set; } = "part";

    /// <summary>Always <c>ls</c>.</summary>
    public string Op { get; set; } = Ops.Ls;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>The entries.</summary>
    public IReadOnlyList<FileEntry> Entries { get; set; } = [];
}
