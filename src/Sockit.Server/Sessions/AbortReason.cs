namespace Sockit.Server.Sessions;

/// <summary>Why a request's <see cref="SockitRequest.Aborted"/> token fired.</summary>
public enum AbortReason
{
    /// <summary>It has not fired.</summary>
    None,

    /// <summary>The client sent <c>cancel</c> for the request.</summary>
    Cancelled,

    /// <summary>The connection broke, or closed for an error; no reply can reach the client any more.</summary>
    Disconnected,

    /// <summary>The server is stopping and the grace period for requests in progress has run out.</summary>
    ShuttingDown,
}
