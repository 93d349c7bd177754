using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;

namespace Sockit.Server.Sessions;

/// <summary>
/// One request as its operation sees it: the header, the request's own body, the input that follows it, a way to
/// send parts and the final reply, and a token that fires on <c>cancel</c>, disconnect and shutdown.
/// </summary>
/// <remarks>
/// The request's own body (its <c>data_size</c> bytes) comes straight from the connection: the server reads no
/// other frame of the connection until the operation has read all of it or finished. After that the operation
/// runs on by itself while the server reads on, so a request with an <c>id</c> may outlive the ones after it.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The token source has no timer; a cancel may race with the end of the request, so it is left to the collector.")]
public sealed partial class SockitRequest
{
    private readonly Lock _lock = new();
    private readonly FrameReader _reader;
    private CancellationTokenSource? _aborted;
    private AbortReason _abortReason;

    internal SockitRequest(SockitSession session, FrameReader reader, int inputWindow)
    {
        Session = session;
        _reader = reader;
        _defaultInputWindow = inputWindow;
        _inputWindow = inputWindow;
    }

    /// <summary>
    /// Readies the object for a new request. The connection reuses one object for the requests that finish inside its
    /// loop, so most requests allocate nothing; an operation must not keep the request past its end.
    /// </summary>
    internal void Start(FrameHead head)
    {
        // No lock: until the loop lets it run on, nothing but the loop and its operation can reach this object.
        Head = head;
        Op = head.Op!;
        Id = head.Id;

        // A token handed to the last request must not fire for this one.
        _aborted = null;
        _abortReason = AbortReason.None;
        _bodyState = head.DataSize == 0 ? BodyReleased : BodyReading;
        _bodyWaiter = null;
        _detached = false;
        _finished = 0;
        _replyState = ReplyState.None;
        _outputCredit = head.Window ?? long.MaxValue;
        _creditWaiter = null;
        _creditEnded = false;
        _inputTail = null;
        _inputWindow = _defaultInputWindow;
        _inputAllowed = 0;
        _inputReceived = 0;
        _inputConsumedUngranted = 0;
        _inputBuffered = 0;
        _inputWaitLength = 1;
        _inputEnded = false;
        _inputWaiter = null;
        _steer = null;
        _endRead = null;
    }

    /// <summary>
    /// Reads the request's header as the operation's arguments. Unlike <see cref="FrameHead.Deserialize{T}"/>, a field
    /// of the wrong type (<c>"argv":[1]</c>) is a bad argument to this operation, not a broken frame: it is refused with
    /// <c>invalid_argument</c> and the connection, with whatever else runs on it, is kept. Call it before reading the body.
    /// </summary>
    public T ReadArguments<T>(JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return Head.Deserialize(typeInfo);
        }
        catch (SockitProtocolException ex) when (ex.Code == SockitErrorCode.InvalidField)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{Op}: {ex.Message}");
        }
    }

    /// <summary>The connection the request came on.</summary>
    public SockitSession Session { get; }

    /// <summary>
    /// The request's frame head. Its <see cref="FrameHead.Header"/> bytes stay valid only until the body is first
    /// read: deserialize the header before that.
    /// </summary>
    public FrameHead Head { get; private set; }

    /// <summary>The operation's name.</summary>
    public string Op { get; private set; } = "";

    /// <summary>The request's <c>id</c>; to be put on every frame sent for it.</summary>
    public long? Id { get; private set; }

    /// <summary>Why <see cref="Aborted"/> fired, or <see cref="AbortReason.None"/>.</summary>
    public AbortReason AbortReason
    {
        get
        {
            lock (_lock)
            {
                return _abortReason;
            }
        }
    }

    /// <summary>
    /// Fires when the client cancels the request, the connection breaks, or the server's shutdown grace period runs
    /// out. An operation that stops for it may just throw <see cref="OperationCanceledException"/>: the server then
    /// sends the fitting final reply (<c>cancelled</c> to a cancel).
    /// </summary>
    public CancellationToken Aborted
    {
        get
        {
            // Created on first use: most requests finish without ever asking for it.
            lock (_lock)
            {
                if (_aborted is null)
                {
                    _aborted = new CancellationTokenSource();
                    if (_abortReason != AbortReason.None)
                    {
                        _aborted.Cancel();
                    }
                }

                return _aborted.Token;
            }
        }
    }

    /// <summary>Fires <see cref="Aborted"/>, unless it already fired; the first reason stays.</summary>
    internal void Abort(AbortReason reason)
    {
        CancellationTokenSource? source;
        lock (_lock)
        {
            if (_abortReason != AbortReason.None)
            {
                return;
            }

            _abortReason = reason;
            source = _aborted;
        }

        EndInput();
        WakeOutputWaiter();
        source?.Cancel();
    }

    /// <summary>Releases what the request held once its operation is done.</summary>
    /// <remarks>
    /// The token source is not disposed: a cancel may race with the end of the request, and a source without a timer
    /// holds nothing the collector cannot take.
    /// </remarks>
    internal void Release()
    {
        // Input only ever reaches a request that ran on by itself; one that finished inside the loop has none.
        if (_detached)
        {
            DiscardInput();
        }
    }

    private int _finished;

    /// <summary>
    /// Notes that the operation is over, or that its final reply is going out (its id is free either way), and says
    /// whether the loop had let the request run on by then (so the request is, or is about to be, in the table of
    /// requests in flight and must be taken out).
    /// </summary>
    internal bool Finish()
    {
        Volatile.Write(ref _finished, 1);
        Interlocked.MemoryBarrier();
        return _detached;
    }

    /// <summary>Whether <see cref="Finish"/> was called: read by the loop after it has added the request to the table.</summary>
    internal bool IsFinished => Volatile.Read(ref _finished) != 0;
}
