using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The first part of a <c>get</c>: the file's size and time, before its bytes.</summary>
public sealed class GetInfo
{
    /// <summary>Always <c>part</c>.</summary>
    public string Kind { get; set; } = "part";

    /// <summary>Always <c>get</c>.</summary>
    public string Op { get; set; } = Ops.Get;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>The file's size.</summary>
    public long Size { get; set; }

    /// <summary>Its modification time.</summary>
    public string Mtime { get; set; } = "";

    /// <summary>Its permission bits in octal.</summary>
    public string Mode { get; set; } = "";
}
