using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions;

/// <summary><c>control</c> frames: steering a running request in a way its operation defines.</summary>
public sealed partial class SockitRequest
{
    private Action<FrameHead>? _steer;
    private Action<FrameHead>? _endRead;

    /// <summary>
    /// Takes the request's <c>control</c> frames (a terminal resize, a signal for a remote command). The handler runs on
    /// the connection's read loop, one frame at a time, so it must be quick and must not wait; the header bytes of the
    /// <see cref="FrameHead"/> it gets are valid only during the call. Frames that come while no handler is set are
    /// ignored. A handler that throws a <c>SockitException</c> has that error sent to the client (without an id: the
    /// request runs on).
    /// </summary>
    public void OnControl(Action<FrameHead>? handler)
    {
        lock (_lock)
        {
            _steer = handler;
        }
    }

    /// <summary>
    /// Takes the fields of the request's <c>end</c> frame (a streamed upload's hash), before a read of the input returns
    /// its end. The handler runs on the connection's read loop, at most once, and must be quick and must not throw: an
    /// operation that finds a bad field records it and refuses in its reply. The header bytes of the
    /// <see cref="FrameHead"/> it gets are valid only during the call. An input that ends any other way (a half-closed
    /// connection, an abort) does not call it.
    /// </summary>
    public void OnInputEnd(Action<FrameHead>? handler)
    {
        lock (_lock)
        {
            _endRead = handler;
        }
    }

    /// <summary>Ends the input on a client's <c>end</c> frame, handing the frame to the operation first.</summary>
    internal void EndInput(FrameHead head)
    {
        Action<FrameHead>? endRead;
        lock (_lock)
        {
            endRead = _inputEnded || _abortReason != AbortReason.None ? null : _endRead;
        }

        endRead?.Invoke(head);
        EndInput();
    }

    /// <summary>
    /// Hands a <c>control</c> frame to the operation's handler, if it has one. A field of the wrong type there
    /// (<c>"signal":5</c>) is a bad argument, as in a request (<see cref="ReadArguments{T}"/>): refused with
    /// <c>invalid_argument</c>, and the request runs on.
    /// </summary>
    internal void Steer(FrameHead head)
    {
        Action<FrameHead>? steer;
        lock (_lock)
        {
            steer = _abortReason == AbortReason.None ? _steer : null;
        }

        try
        {
            steer?.Invoke(head);
        }
        catch (SockitProtocolException ex) when (ex.Code == SockitErrorCode.InvalidField)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"control: {ex.Message}");
        }
    }
}
