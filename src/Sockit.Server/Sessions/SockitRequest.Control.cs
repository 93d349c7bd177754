using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions;

/// <summary><c>control</c> frames: steering a running request in a way its operation defines.</summary>
public sealed partial class SockitRequest
{
    private Action<FrameHead>? _steer;

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

    /// <summary>Hands a <c>control</c> frame to the operation's handler, if it has one.</summary>
    internal void Steer(FrameHead head)
    {
        Action<FrameHead>? steer;
        lock (_lock)
        {
            steer = _abortReason == AbortReason.None ? _steer : null;
        }

        steer?.Invoke(head);
    }
}
