using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Connection;

/// <summary>A request whose caller waits for one final reply of type <typeparamref name="TReply"/>.</summary>
internal class ReplyRequest<TReply> : PendingRequest
{
    // Continuations run elsewhere, so the read loop never runs a caller's code on its own stack.
    private readonly TaskCompletionSource<SockitResponse<TReply>> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonTypeInfo<TReply> _typeInfo;

    public ReplyRequest(JsonTypeInfo<TReply> typeInfo)
    {
        _typeInfo = typeInfo;
    }

    /// <summary>Completes with the final reply, or fails with why there is none.</summary>
    public Task<SockitResponse<TReply>> Reply => _reply.Task;

    public override bool OnFinalReply(FrameHead head, ReplyStatus status, ReplyBody? body)
    {
        if (!status.Ok)
        {
            TrySetFailure(SockitClient.RemoteError(status, Id));
            return false;
        }

        var response = new SockitResponse<TReply>(body, head.Deserialize(_typeInfo), head.DataSize);

        // Losing the race to a cancellation leaves the body with nobody to read it: the read loop skips it.
        if (!_reply.TrySetResult(response))
        {
            return false;
        }

        OnEnded(null);
        return body is not null;
    }

    public override void Fail(SockitException reason) => TrySetFailure(reason);

    /// <summary>
    /// The caller gives up: the reply fails with <paramref name="reason"/> (an <see cref="OperationCanceledException"/>
    /// cancels it). Returns <see langword="false"/> when the reply had already come, or the request had already ended.
    /// </summary>
    public virtual bool TryAbandon(Exception reason)
    {
        bool settled = reason is OperationCanceledException cancelled
            ? _reply.TrySetCanceled(cancelled.CancellationToken)
            : _reply.TrySetException(reason);
        if (!settled)
        {
            return false;
        }

        MarkAbandoned();
        OnEnded(reason);
        return true;
    }

    /// <summary>Fails the reply; the failure counts as observed, so a caller that stopped waiting leaves no noise behind.</summary>
    protected bool TrySetFailure(Exception reason)
    {
        if (!_reply.TrySetException(reason))
        {
            return false;
        }

        _ = _reply.Task.Exception;
        OnEnded(reason);
        return true;
    }

    /// <summary>
    /// Called once, when the request ends: with <see langword="null"/> for a successful final reply, otherwise with why
    /// it failed or was given up.
    /// </summary>
    protected virtual void OnEnded(Exception? failure)
    {
    }
}
