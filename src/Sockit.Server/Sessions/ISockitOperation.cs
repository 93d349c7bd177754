using Sockit.Server.Accounts;

namespace Sockit.Server.Sessions;

/// <summary>
/// One operation of the framed protocol (the <c>op</c> header field). Register it with
/// <see cref="SockitOperationServiceCollectionExtensions.AddSockitOperation{TOperation}"/>; the server dispatches each
/// request to the operation whose <see cref="Name"/> matches.
/// </summary>
public interface ISockitOperation
{
    /// <summary>The <c>op</c> value this operation answers.</summary>
    string Name { get; }

    /// <summary>
    /// Largest <c>data_size</c> of the request itself. A larger request is answered with <c>body_too_large</c> before
    /// any of its body is read, and the connection is closed. Input frames that follow the request do not count.
    /// </summary>
    long MaxBodyLength { get; }

    /// <summary>
    /// What a logged-in user needs to run this operation. Anonymous connections may run it only when the server lists
    /// it in <c>Sockit:Auth:AnonymousOps</c>; otherwise they get <c>unauthenticated</c>, and users without these
    /// permissions get <c>forbidden</c>.
    /// </summary>
    Permissions RequiredPermissions => Permissions.None;

    /// <summary>
    /// Whether the connection must read no further frame until this operation has finished, even for a request with
    /// an <c>id</c>: for operations that change what later requests may do (a login).
    /// </summary>
    bool RunsAlone => false;

    /// <summary>
    /// Handles one request: read the header from <see cref="SockitRequest.Head"/> before the body, read the body, then
    /// send any parts and exactly one final reply through <paramref name="request"/>. Throw a <c>SockitException</c> to
    /// reply with its code instead (a <c>SockitProtocolException</c> also closes the connection); stop with
    /// <see cref="OperationCanceledException"/> when <see cref="SockitRequest.Aborted"/> fires.
    /// </summary>
    ValueTask ExecuteAsync(SockitRequest request);
}
