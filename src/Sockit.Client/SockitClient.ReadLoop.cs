using System.Buffers;
using System.Globalization;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;

namespace Sockit.Client;

// Receiving: one background task reads every frame and routes it by id and kind; no caller reads the connection,
// except the body of a final reply, which is lent to its caller.
public sealed partial class SockitClient
{
    // Larger event bodies are not copied: the event is dropped for its subscribers, and counted there.
    private const int MaxEventBodyLength = 1024 * 1024;

    private Task _readLoop = Task.CompletedTask;
    private ReplyBody? _lentBody;
    private int _loopEnded;
    private int _inputCompleted;

    private void StartReading() => _readLoop = Task.Run(ReadLoopAsync);

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                // Between frames the server may be silent as long as it likes; each request has its own deadline.
                _reader.IdleTimeout = Timeout.InfiniteTimeSpan;
                if (await _reader.ReadHeadAsync(_closing.Token).ConfigureAwait(false) is not { } head)
                {
                    string when = OldestPending() is null ? "" : " before replying";
                    Fault(new SockitConnectionException(SockitErrorCode.ConnectionClosed, $"{Peer} closed the connection{when}"));
                    return;
                }

                // Once a frame has begun, the rest of it must keep coming.
                _reader.IdleTimeout = Options.ReplyTimeout;
                await RouteAsync(head).ConfigureAwait(false);
                await _reader.SkipBodyAsync(_closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_closing.IsCancellationRequested)
        {
            // The connection was closed, and whoever closed it said why.
        }
        catch (Exception ex)
        {
            Fault(ReadFailure(ex));
        }
        finally
        {
            Interlocked.Exchange(ref _loopEnded, 1);
            if (Volatile.Read(ref _lentBody) is null)
            {
                CompleteInput();
            }
        }
    }

    private ValueTask RouteAsync(FrameHead head)
    {
        switch (head.Kind)
        {
            case FrameKind.None:
                return OnFinalReplyAsync(head);
            case FrameKind.Part:
                return OnPartAsync(head);
            case FrameKind.Event:
                return OnEventAsync(head);
            case FrameKind.Window:
                OnWindow(head);
                return ValueTask.CompletedTask;
            case FrameKind.Probe:
                // The server checking that the client still reads; it needs no answer.
                return ValueTask.CompletedTask;
            case FrameKind.Unknown:
                // A kind from a newer protocol: whatever it is, it is not for this client. Its body is skipped.
                return ValueTask.CompletedTask;
            default:
                throw new SockitProtocolException(
                    SockitErrorCode.ProtocolError, $"{Peer} sent a '{head.KindText}' frame, which only a client sends", null, head.Id);
        }
    }

    private async ValueTask OnFinalReplyAsync(FrameHead head)
    {
        var status = head.Deserialize(SockitJsonContext.Default.ReplyStatus);
        if (head.Id is not { } id)
        {
            if (status.Ok)
            {
                throw StrayReply(null);
            }

            // An error that names no request answers none: the server sends it (login_timeout, idle_timeout,
            // shutting_down...) as it closes the connection. A protocol 1 server answers in order, so it is the
            // oldest request's answer too.
            var oldest = OldestPending();
            Fault(RemoteError(status, null), oldest is null ? null : (oldest.Id, RemoteError(status, oldest.Id)));
            return;
        }

        var request = TakePending(id) ?? throw StrayReply(id);
        if (request.IsAbandoned)
        {
            // Its caller gave up; the body is skipped.
            return;
        }

        var body = head.DataSize > 0 ? new ReplyBody(this) : null;
        Volatile.Write(ref _lentBody, body);
        bool lent = false;
        try
        {
            lent = request.OnFinalReply(head, status, body);
        }
        catch (Exception ex)
        {
            // The request is out of the table already, so failing the connection would not reach it: it fails here,
            // with the same reason the connection then fails with.
            var failure = Unreadable(ex, id);
            request.Fail(failure);
            throw failure;
        }
        finally
        {
            if (!lent)
            {
                Volatile.Write(ref _lentBody, null);
            }
        }

        if (lent)
        {
            // The caller reads the body under timeouts of its own.
            _reader.IdleTimeout = Timeout.InfiniteTimeSpan;
            await body!.Returned.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
    }

    private async ValueTask OnPartAsync(FrameHead head)
    {
        if (head.Id is not { } id || FindPending(id) is not { } request)
        {
            throw new SockitProtocolException(
                SockitErrorCode.ProtocolError, $"{Peer} sent a part for request {IdText(head.Id)}, which is not in flight", null, head.Id);
        }

        if (!request.IsAbandoned)
        {
            await request.AcceptPartAsync(head, _closing.Token).ConfigureAwait(false);
        }
    }

    private void OnWindow(FrameHead head)
    {
        if (head.Id is not { } id || head.Credit is not { } credit)
        {
            throw new SockitProtocolException(SockitErrorCode.ProtocolError, $"{Peer} sent a window frame without an id or a credit", null, head.Id);
        }

        // A grant for a request that has just ended is of no use, and no error either.
        FindPending(id)?.GrantInput(credit);
    }

    private async ValueTask OnEventAsync(FrameHead head)
    {
        var header = head.Deserialize(SockitJsonContext.Default.ServerEvent);
        var subscribers = SubscribersOf(header.Topic);
        if (subscribers.Count == 0)
        {
            return;
        }

        if (head.DataSize > MaxEventBodyLength)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Drop();
            }

            return;
        }

        var headerJson = head.Header.ToArray();
        var body = new byte[head.DataSize];
        await ReadFrameBodyAsync(body, _closing.Token).ConfigureAwait(false);
        var item = new SockitEvent(header, headerJson, body);
        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(item);
        }
    }

    /// <summary>Reads the current frame's body (a part's, an event's) into <paramref name="destination"/>, whole.</summary>
    internal async ValueTask ReadFrameBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (!destination.IsEmpty)
        {
            int read = await _reader.ReadBodyAsync(destination, cancellationToken).ConfigureAwait(false);
            destination = destination[read..];
        }
    }

    private SockitProtocolException StrayReply(long? id)
    {
        // A protocol 1 server answers in order, so a reply can only be meant for the oldest request.
        var oldest = HasFeature(ProtocolFeatures.Concurrent) ? null : OldestPending();
        string message = oldest is not null
            ? $"the reply to request {oldest.Id} carries id {IdText(id)}"
            : id is null
                ? $"{Peer} sent a successful reply without an id"
                : $"{Peer} sent a reply to request {id}, which is not in flight";
        return new SockitProtocolException(SockitErrorCode.ProtocolError, message, null, id);
    }

    /// <summary>Why the final reply to request <paramref name="id"/> could not be taken: a protocol error either way.</summary>
    private SockitProtocolException Unreadable(Exception exception, long id) =>
        exception as SockitProtocolException ?? new SockitProtocolException(
            SockitErrorCode.ProtocolError,
            $"{Peer} sent a reply to request {id} that cannot be read: {UntrustedText.Escape(exception.Message)}",
            exception,
            id);

    private static string IdText(long? id) => id is { } value ? value.ToString(CultureInfo.InvariantCulture) : "none";

    private SockitException ReadFailure(Exception exception) => exception switch
    {
        SockitTimeoutException timeout when timeout.Code == SockitErrorCode.IdleTimeout || timeout.Code == SockitErrorCode.HeaderTimeout =>
            TimedOut($"{Peer} stopped sending in the middle of a frame", timeout),
        _ => Translate(exception) ?? new SockitConnectionException(
            SockitErrorCode.ConnectionClosed, $"the connection to {Peer} failed: {exception.Message}", exception),
    };

    /// <summary>A lent body came back: if the read loop has ended meanwhile, the input is finished with now.</summary>
    private void ReaderReturned(ReplyBody body)
    {
        Interlocked.CompareExchange(ref _lentBody, null, body);
        if (Volatile.Read(ref _loopEnded) != 0)
        {
            CompleteInput();
        }
    }

    private void CompleteInput()
    {
        if (Interlocked.Exchange(ref _inputCompleted, 1) == 0)
        {
            _reader.Dispose();
            _input.Complete();
        }
    }
}
