using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>A <c>put</c> request: upload one file, whole in the body or streamed as input (resumable).</summary>
public sealed class PutRequest
{
    /// <summary>Always <c>put</c>.</summary>
    public string Op { get; set; } = Ops.Put;

    /// <summary>The request id; needed for streamed uploads.</summary>
    public long? Id { get; set; }

    /// <summary>The output window, for the client's own use.</summary>
    public long? Window { get; set; }

    /// <summary>The target, relative to the home.</summary>
    public string? Path { get; set; }

    /// <summary>The file's size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>
    /// The file's SHA-256 in lower-case hex. A streamed upload may leave it out and send it on its <c>end</c> frame
    /// (<see cref="PutEnd"/>) instead.
    /// </summary>
    public string? Sha256 { get; set; }

    /// <summary>The file's MD5 in hex, checked too when given.</summary>
    public string? Md5 { get; set; }

    /// <summary>Replace an existing file.</summary>
    public bool Overwrite { get; set; }

    /// <summary>Throw away a partial upload instead of resuming it.</summary>
    public bool Restart { get; set; }

    /// <summary>The modification time to give the file (ISO 8601).</summary>
    public string? Mtime { get; set; }

    /// <summary>The bytes follow as <c>input</c> frames; otherwise the body is the whole file.</summary>
    public bool Input { get; set; }

    /// <summary>Size of the body.</summary>
    public long? DataSize { get; set; }
}
