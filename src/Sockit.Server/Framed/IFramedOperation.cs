using Sockit.Protocol.Framing;
using Sockit.Server.Accounts;

namespace Sockit.Server.Framed;

/// <summary>
/// One operation of the framed protocol (the <c>op</c> header field). Register implementations in the
/// service collection; the server dispatches each request to the one whose <see cref="Name"/> matches.
/// </summary>
public interface IFramedOperation
{
    /// <summary>The <c>op</c> value this operation answers.</summary>
    string Name { get; }

    /// <summary>
    /// Largest <c>data_size</c> this operation accepts. A larger request is answered with <c>body_too_large</c>
    /// before any of its body is read, and the connection is closed.
    /// </summary>
    long MaxBodyLength { get; }

    /// <summary>
    /// What a logged-in user needs to run this operation. Anonymous connections may run it only when the server lists
    /// it in <c>Sockit:Auth:AnonymousOps</c>; otherwise they get <c>unauthenticated</c>, and users without these
    /// permissions get <c>forbidden</c>.
    /// </summary>
    Permissions RequiredPermissions => Permissions.None;

    /// <summary>
    /// Handles one request. Read the header from <paramref name="head"/> before touching the body (the
    /// header's bytes are only valid until then), read the body from <see cref="FramedSession.Reader"/>, and
    /// write exactly one reply with <see cref="FramedSession"/>. Throw a <c>SockitException</c> to reply with its
    /// code; a <c>SockitProtocolException</c> also closes the connection.
    /// </summary>
    ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken);
}
