namespace Sockit.Protocol.Messages;

/// <summary>
/// The fields every reply shares. A client reads these first to tell success from failure, then reads the
/// operation's own reply type from the same header.
/// </summary>
public sealed class ReplyStatus
{
    /// <summary>The operation replied to, when the server names it.</summary>
    public string? Op { get; set; }

    /// <summary>The request's <c>id</c>, when it had one.</summary>
    public long? Id { get; set; }

    /// <summary>Whether the request succeeded.</summary>
    public bool Ok { get; set; }

    /// <summary>On failure, the stable error code.</summary>
    public string? Error { get; set; }

    /// <summary>On failure, the explanation.</summary>
    public string? Message { get; set; }

    /// <summary>Size of the body that follows.</summary>
    public long DataSize { get; set; }
}
