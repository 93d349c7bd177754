namespace Sockit.Protocol.Messages;

/// <summary>A failed reply: the request (or the frame) was not acceptable.</summary>
public sealed class ErrorReply
{
    /// <summary>The operation that failed, when known.</summary>
    public string? Op { get; set; }

    /// <summary>The request's <c>id</c>, echoed when the request carried one.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="false"/>.</summary>
    public bool Ok { get; set; }

    /// <summary>The stable error code (see <c>SockitErrorCode</c>).</summary>
    public string Error { get; set; } = "";

    /// <summary>A human-readable explanation.</summary>
    public string Message { get; set; } = "";
}
