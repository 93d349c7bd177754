using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Server.Auth;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Sessions.Internal;

/// <summary>Requests: admission, running, and the moment a request with an <c>id</c> goes on by itself.</summary>
internal sealed partial class SessionLoop
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestEnd> DispatchAsync(FrameHead head)
    {
        var op = head.Op;
        long? id = head.Id;
        ISockitOperation operation;
        try
        {
            operation = Admit(head);
        }
        catch (SockitProtocolException ex)
        {
            await CloseAsync(RequestEnd.CloseWith(ex), id, op).ConfigureAwait(false);
            return RequestEnd.CloseSilently;
        }
        catch (SockitException ex)
        {
            // Refused before it ran: its body, if any, is skipped with the next read.
            ConnectionLog.RequestFailed(_logger, op ?? "(none)", ex.Code.Value, ex.Message);

            // A duplicate's id belongs to the request in flight: on the refusal it would read as that one's reply.
            await WriteErrorAsync(ex.Code, ex.Message, op, ex.Code == SockitErrorCode.DuplicateId ? null : id).ConfigureAwait(false);
            return RequestEnd.Continue;
        }

        var request = _spare ?? new SockitRequest(_session, _reader, _handler.Options.InputWindow);
        _spare = null;
        request.Start(head);
        var run = RunAsync(operation, request);
        RequestEnd end;
        if (!run.IsCompleted && id is long key && !operation.RunsAlone)
        {
            // It went async: wait until it has read its body (the loop needs the connection back) or finished.
            var running = run.AsTask();
            var bodyDone = request.BodyDone;
            if (!bodyDone.IsCompleted)
            {
                await Task.WhenAny(bodyDone, running).ConfigureAwait(false);
            }

            if (!running.IsCompleted)
            {
                Detach(key, request, running);
                return RequestEnd.Continue;
            }

            end = await running.ConfigureAwait(false);
        }
        else
        {
            end = await run.ConfigureAwait(false);
        }

        _spare = request;
        if (end.Close)
        {
            await CloseAsync(end, id, op).ConfigureAwait(false);
        }

        return end;
    }

    /// <summary>Finds the operation and checks the request may run; throws the error to answer it with.</summary>
    private ISockitOperation Admit(FrameHead head)
    {
        var op = head.Op ?? throw new SockitException(SockitErrorCode.MissingOp, "the request has no op field");
        var operations = _handler.Operations;
        if (!operations.TryGet(op, out var operation))
        {
            throw new SockitException(
                SockitErrorCode.UnknownOp, $"unknown op '{op}'; this server offers: {string.Join(", ", operations.Names)}");
        }

        if (head.DataSize > operation.MaxBodyLength)
        {
            throw new SockitProtocolException(
                SockitErrorCode.BodyTooLarge,
                $"data_size {head.DataSize} exceeds the limit of {operation.MaxBodyLength} bytes for '{op}'",
                null,
                head.Id);
        }

        if (head.Window is not null && head.Id is null)
        {
            throw new SockitException(SockitErrorCode.InvalidField, "window needs an id: credit is granted by the request's id");
        }

        if (head.Window is < Protocol.Messages.ProtocolInfo.MaxPartBodyLength)
        {
            throw new SockitException(
                SockitErrorCode.InvalidField,
                $"window must be at least {Protocol.Messages.ProtocolInfo.MaxPartBodyLength} bytes, the largest part body");
        }

        _handler.Access.Check(_session, operation);
        if (head.Id is long id)
        {
            _session.Requests.CheckRoom(id);
        }

        // Admitted: from here a long anonymous request is not cut off by the login deadline while it runs.
        AccessPolicy.OnAdmitted(_session, _login, op);
        return operation;
    }

    /// <summary>
    /// Lets a request with an <c>id</c> run on by itself: it has read its body, and the loop reads on. From now on its
    /// frames are flushed as it sends them, and control frames reach it by its id.
    /// </summary>
    private void Detach(long id, SockitRequest request, Task<RequestEnd> running)
    {
        request.Detach();
        var requests = _session.Requests;
        requests.Add(id, request);
        var observed = ObserveAsync(running);
        requests.SetRunning(id, request, observed);

        // It may have finished before it was added (its own removal then found nothing): Detach and Add on this side,
        // Finish on the operation's, are each followed by a full fence, so one side or both take it out.
        if (request.IsFinished)
        {
            requests.Remove(id, request);
        }
    }

    /// <summary>Waits for a request running on its own; one that must close the connection closes it from here.</summary>
    private async Task ObserveAsync(Task<RequestEnd> running)
    {
        RequestEnd end;
        try
        {
            end = await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException || ConnectionFailures.IsAbruptDisconnect(ex))
        {
            // Its last frame could not go out: the connection is closing or gone, which its loop handles.
            return;
        }

        if (end.Close)
        {
            // The loop is elsewhere (most likely waiting for a frame): end the connection under it.
            _connection.Abort(new ConnectionAbortedException(end.Error?.Message ?? "a request failed mid-reply"));
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/>, which looks like a lost connection, came from an operation's own file or
    /// pipe while the connection is fine: left to pass as a disconnect, the client would wait for a reply forever.
    /// </summary>
    private bool IsLocalIoFailure(Exception exception, SockitRequest request) =>
        exception is IOException { InnerException: null } and not ConnectionResetException
        && request.AbortReason == AbortReason.None
        && !_connection.ConnectionClosed.IsCancellationRequested;

    /// <summary>Runs one request to its end and says whether the connection goes on.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestEnd> RunAsync(ISockitOperation operation, SockitRequest request)
    {
        try
        {
            await operation.ExecuteAsync(request).ConfigureAwait(false);
            if (!request.HasReplied)
            {
                ConnectionLog.RequestFailed(_logger, request.Op, SockitErrorCode.InternalError.Value, "the operation sent no reply");
                await request.TryReplyErrorAsync(SockitErrorCode.InternalError, "the server failed; see its log").ConfigureAwait(false);
            }

            return RequestEnd.Continue;
        }
        catch (OperationCanceledException) when (request.AbortReason != AbortReason.None)
        {
            return await EndAbortedAsync(request).ConfigureAwait(false);
        }
        catch (SockitException ex) when (request.ReplyState == ReplyState.Streaming)
        {
            ConnectionLog.AbortedMidReply(_logger, ex.Code.Value, ex.Message);
            if (ex.Code == SockitErrorCode.WriteTimeout)
            {
                _connection.Abort(new ConnectionAbortedException(ex.Message));
            }

            return RequestEnd.CloseSilently;
        }
        catch (Exception ex) when (ex is SockitProtocolException or SockitTimeoutException)
        {
            return RequestEnd.CloseWith(ex);
        }
        catch (SockitException ex)
        {
            ConnectionLog.RequestFailed(_logger, request.Op, ex.Code.Value, ex.Message);
            await request.TryReplyErrorAsync(ex.Code, ex.Message).ConfigureAwait(false);
            return RequestEnd.Continue;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && (!ConnectionFailures.IsAbruptDisconnect(ex) || IsLocalIoFailure(ex, request)))
        {
            // An operation's bug, or a failure of its own I/O it did not turn into an error. Inline, where its body
            // stands is unknown, so the connection cannot go on; on its own (its body read) it can, and only this
            // request fails.
            ConnectionLog.Failed(_logger, ex);
            if (request.ReplyState == ReplyState.Streaming)
            {
                return RequestEnd.CloseSilently;
            }

            if (request.IsDetachedRequest)
            {
                await request.TryReplyErrorAsync(SockitErrorCode.InternalError, "the server failed; see its log").ConfigureAwait(false);
                return RequestEnd.Continue;
            }

            return request.HasReplied ? RequestEnd.CloseSilently : RequestEnd.CloseWith(ex);
        }
        finally
        {
            if (request.Finish() && request.Id is long id)
            {
                _session.Requests.Remove(id, request);
            }

            request.Release();
        }
    }

    /// <summary>Ends a request whose operation stopped for its abort, with the reply that abort calls for.</summary>
    private static async ValueTask<RequestEnd> EndAbortedAsync(SockitRequest request)
    {
        if (request.ReplyState == ReplyState.Streaming)
        {
            return RequestEnd.CloseSilently;
        }

        switch (request.AbortReason)
        {
            case AbortReason.Cancelled:
                await request.TryReplyErrorAsync(SockitErrorCode.Cancelled, "the request was cancelled").ConfigureAwait(false);
                break;
            case AbortReason.ShuttingDown:
                await request.TryReplyErrorAsync(SockitErrorCode.ShuttingDown, "the server is shutting down").ConfigureAwait(false);
                break;
            default:
                // Disconnected: nobody is left to tell.
                break;
        }

        return RequestEnd.Continue;
    }

    /// <summary>Answers a frame with an error, in turn with everything else the connection sends.</summary>
    private async ValueTask WriteErrorAsync(SockitErrorCode code, string message, string? op, long? id)
    {
        await Output.EnterAsync().ConfigureAwait(false);
        try
        {
            SessionOutput.WriteError(Output.Writer, code, message, op, id);
        }
        finally
        {
            Output.Exit();
        }
    }
}
