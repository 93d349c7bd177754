using System.Runtime.CompilerServices;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Sessions.Internal;

/// <summary>Frames that steer a running request: <c>input</c>, <c>end</c>, <c>cancel</c>, <c>window</c> and <c>control</c>.</summary>
internal sealed partial class SessionLoop
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestEnd> SteerAsync(FrameHead head)
    {
        var kind = head.KindText ?? "";
        if (head.Kind is FrameKind.Part or FrameKind.Event or FrameKind.Probe or FrameKind.Unknown)
        {
            string message = head.Kind == FrameKind.Unknown
                ? $"unknown kind '{kind}'; a client sends requests (no kind), input, end, cancel, window and control"
                : $"'{kind}' frames come from the server; a client sends requests (no kind), input, end, cancel, window and control";
            return await RefuseFrameAsync(message, head).ConfigureAwait(false);
        }

        if (head.Id is not long id)
        {
            return await RefuseFrameAsync($"a '{kind}' frame needs the id of the request it is for", head).ConfigureAwait(false);
        }

        if (head.Kind == FrameKind.Window && head.Credit is null)
        {
            return await RefuseFrameAsync("a 'window' frame needs a credit", head).ConfigureAwait(false);
        }

        // A request that just finished may still get frames the client sent before it saw the reply: they are skipped
        // (the body with the next read).
        if (!_session.Requests.TryGet(id, out var request))
        {
            return RequestEnd.Continue;
        }

        switch (head.Kind)
        {
            case FrameKind.Input:
                try
                {
                    await request.AcceptInputAsync(_reader, head.DataSize).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SockitProtocolException or SockitTimeoutException)
                {
                    await CloseAsync(RequestEnd.CloseWith(ex), id, null).ConfigureAwait(false);
                    return RequestEnd.CloseSilently;
                }

                break;
            case FrameKind.End:
                request.EndInput(head);
                break;
            case FrameKind.Cancel:
                request.Abort(AbortReason.Cancelled);
                break;
            case FrameKind.Window:
                request.GrantOutput(head.Credit!.Value);
                break;
            case FrameKind.Control:
                try
                {
                    request.Steer(head);
                }
                catch (SockitException ex) when (ex is not SockitProtocolException)
                {
                    // The request runs on: the refusal carries no id, or it would be taken for the request's reply.
                    ConnectionLog.RequestFailed(_logger, "control", ex.Code.Value, ex.Message);
                    await WriteErrorAsync(ex.Code, ex.Message, null, null).ConfigureAwait(false);
                }

                break;
        }

        return RequestEnd.Continue;
    }

    private async ValueTask<RequestEnd> RefuseFrameAsync(string message, FrameHead head)
    {
        ConnectionLog.RequestFailed(_logger, head.KindText ?? "(none)", SockitErrorCode.InvalidField.Value, message);
        // No id: it could be the id of a running request, whose reply this refusal would be taken for.
        await WriteErrorAsync(SockitErrorCode.InvalidField, message, null, null).ConfigureAwait(false);
        return RequestEnd.Continue;
    }
}
