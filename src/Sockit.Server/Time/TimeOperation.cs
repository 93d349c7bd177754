using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Framed;

namespace Sockit.Server.Time;

/// <summary>The framed <c>time</c>: the server's local time in the request's strftime format.</summary>
internal sealed class TimeOperation : IFramedOperation
{
    private readonly TimeProvider _clock;

    public TimeOperation(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>
    /// The longest time text a reply carries. It travels inside the reply's header, which every client must be able
    /// to accept, and a short format must not buy a long reply.
    /// </summary>
    public const int MaxTimeLength = 4096;

    public string Name => Ops.Time;

    public long MaxBodyLength => 0;

    public ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken)
    {
        var request = head.Deserialize(SockitJsonContext.Default.TimeRequest);
        var text = PythonStrftime.Format(request.Format, _clock.GetLocalNow(), _clock.LocalTimeZone, MaxTimeLength);
        session.WriteReply(new TimeReply { Id = head.Id, Time = text }, SockitJsonContext.Default.TimeReply);
        return ValueTask.CompletedTask;
    }
}
