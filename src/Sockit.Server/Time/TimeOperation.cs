using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Time;

/// <summary>The framed <c>time</c>: the server's local time in the request's strftime format.</summary>
internal sealed class TimeOperation : ISockitOperation
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

    public ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.Head.Deserialize(SockitJsonContext.Default.TimeRequest);
        var text = PythonStrftime.Format(header.Format, _clock.GetLocalNow(), _clock.LocalTimeZone, MaxTimeLength);
        return request.ReplyAsync(new TimeReply { Id = request.Id, Time = text }, SockitJsonContext.Default.TimeReply);
    }
}
