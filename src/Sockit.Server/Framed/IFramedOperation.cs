using Sockit.Protocol.Framing;

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
    /// Handles one request. Read the header from <paramref name="head"/> before touching the body (the
    /// header's bytes are only valid until then), read the body from <see cref="FramedSession.Reader"/>, and
    /// write exactly one reply with <see cref="FramedSession"/>. Throw a <c>SockitException</c> to reply with its
    /// code; a <c>SockitProtocolException</c> also closes the connection.
    /// </summary>
    ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken);
}
