using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The final reply to <c>get</c>: the SHA-256 of the whole file, to check the download against.</summary>
public sealed class GetReply
{
    /// <summary>Always <c>get</c>.</summary>
    public string Op { get; set; } = Ops.Get;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The file's size.</summary>
    public long Size { get; set; }

    /// <summary>The SHA-256 of the whole file, in hex.</summary>
    public string Sha256 { get; set; } = "";
}
