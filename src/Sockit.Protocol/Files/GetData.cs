using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>A part of a <c>get</c> with some of the file's bytes as its body.</summary>
public sealed class GetData
{
    /// <summary>Always <c>part</c>.</summary>
    public string Kind { get; set; } = "part";

    /// <summary>Always <c>get</c>.</summary>
    public string Op { get; set; } = Ops.Get;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Bytes in the body (at most 64 KiB).</summary>
    public long DataSize { get; set; }
}
