using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The reply to <c>df</c>: the account's quota and what its home uses.</summary>
public sealed class DiskUsageReply
{
    /// <summary>Always <c>df</c>.</summary>
    public string Op { get; set; } = Ops.Df;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The quota in bytes, or <see langword="null"/> for none.</summary>
    public long? Quota { get; set; }

    /// <summary>Bytes the home uses, partial uploads included.</summary>
    public long Used { get; set; }

    /// <summary>Bytes left under the quota, or <see langword="null"/> for no quota.</summary>
    public long? Free { get; set; }
}
