namespace Sockit.Server.Sessions;

/// <summary>How far a request's final reply has got.</summary>
internal enum ReplyState
{
    /// <summary>Not begun: an error can still be sent instead.</summary>
    None,

    /// <summary>Its header is out and its body is being written: nothing else can be sent for the request.</summary>
    Streaming,

    /// <summary>Sent.</summary>
    Sent,
}
