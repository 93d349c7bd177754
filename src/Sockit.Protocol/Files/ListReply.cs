using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The final reply to <c>ls</c>.</summary>
public sealed class ListReply
{
    /// <summary>Always <c>ls</c>.</summary>
    public string Op { get; set; } = Ops.Ls;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>How many entries the parts held.</summary>
    public long Count { get; set; }
}
