using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The final reply to <c>put</c>: the file is complete, verified and under its name.</summary>
public sealed class PutReply
{
    /// <summary>Always <c>put</c>.</summary>
    public string Op { get; set; } = Ops.Put;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The file's size.</summary>
    public long Size { get; set; }

    /// <summary>Its SHA-256, as checked.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Bytes taken from an earlier, interrupted upload.</summary>
    public long Resumed { get; set; }
}
