namespace Sockit.Protocol.Framing;

/// <summary>
/// What a frame is, from its <c>kind</c> header field. A frame without <c>kind</c> is what protocol 1 knew: a request
/// from a client, a final reply (or the hello, or an error tied to no request) from a server.
/// </summary>
public enum FrameKind : byte
{
    /// <summary>No <c>kind</c> field: a request, or a final reply.</summary>
    None,

    /// <summary><c>part</c>: an intermediate frame of a request's output (server to client).</summary>
    Part,

    /// <summary><c>event</c>: a server event that answers no request (server to client).</summary>
    Event,

    /// <summary><c>window</c>: grants the peer <see cref="FrameHead.Credit"/> more body bytes for a request.</summary>
    Window,

    /// <summary><c>input</c>: a chunk of input for a running request (client to server).</summary>
    Input,

    /// <summary><c>end</c>: the end of a running request's input (client to server).</summary>
    End,

    /// <summary><c>cancel</c>: stop a running request (client to server).</summary>
    Cancel,

    /// <summary>
    /// <c>control</c>: steers a running request in a way its operation defines, such as resizing a remote command's
    /// terminal (client to server); the header's other fields are the operation's.
    /// </summary>
    Control,

    /// <summary>
    /// <c>probe</c>: asks nothing and needs no answer (server to client). The server sends it after the client's end of
    /// stream while requests run on, so that a client that closed its socket, not just its sending side, answers with a
    /// reset and its requests stop. Clients skip it.
    /// </summary>
    Probe,

    /// <summary>A <c>kind</c> this version of the protocol does not know; <see cref="FrameHead.KindText"/> has it, escaped.</summary>
    Unknown,
}
