namespace Sockit.Protocol.Files;

/// <summary>
/// The <c>end</c> frame of a streamed <c>put</c>, carrying the file's SHA-256 when the request did not: a client that
/// hashes while it sends needs no pass over the file before the upload starts.
/// </summary>
public sealed class PutEnd
{
    /// <summary>Always <c>end</c>.</summary>
    public string Kind { get; set; } = "end";

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>The SHA-256 of the whole file (from byte 0, not from the resume offset), in lower-case hex.</summary>
    public string? Sha256 { get; set; }
}
