using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The reply to <c>stat</c>.</summary>
public sealed class StatReply
{
    /// <summary>Always <c>stat</c>.</summary>
    public string Op { get; set; } = Ops.Stat;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The entry.</summary>
    public FileEntry Entry { get; set; } = new();
}
