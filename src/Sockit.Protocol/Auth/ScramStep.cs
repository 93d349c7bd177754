namespace Sockit.Protocol.Auth;

/// <summary>Where a <see cref="ScramServer"/> or <see cref="ScramClient"/> is in its one exchange.</summary>
internal enum ScramStep
{
    /// <summary>Nothing sent or received yet.</summary>
    Start,

    /// <summary>Client: the client-first message was made; the server-first is expected.</summary>
    AwaitingServerFirst,

    /// <summary>Server: the server-first message was sent; the client-final is expected.</summary>
    AwaitingClientFinal,

    /// <summary>Client: the client-final message was made; the server-final is expected.</summary>
    AwaitingServerFinal,

    /// <summary>The exchange ended with both sides proven.</summary>
    Succeeded,

    /// <summary>The exchange failed; the object cannot be used again.</summary>
    Failed,
}
