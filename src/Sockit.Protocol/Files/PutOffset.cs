using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>The first part of a streamed <c>put</c>: where the upload resumes.</summary>
public sealed class PutOffset
{
    /// <summary>Always <c>part</c>.</summary>
    public string Kind { get; set; } = "part";

    /// <summary>Always <c>put</c>.</summary>
    public string Op { get; set; } = Ops.Put;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>How many bytes of an earlier upload the server kept; the client sends from there.</summary>
    public long Offset { get; set; }

    /// <summary>The SHA-256 of those bytes, in hex.</summary>
    public string PrefixSha256 { get; set; } = "";
}
