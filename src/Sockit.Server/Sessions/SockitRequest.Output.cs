using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Sessions;

/// <summary>What a request sends: parts, then one final reply.</summary>
public sealed partial class SockitRequest
{
    private volatile bool _detached;
    private ReplyState _replyState;
    private long _outputCredit;
    private TaskCompletionSource? _creditWaiter;
    private bool _creditEnded;

    /// <summary>Whether the final reply has begun (an error can then no longer be sent in its place).</summary>
    public bool HasReplied => _replyState != ReplyState.None;

    internal ReplyState ReplyState => _replyState;

    /// <summary>
    /// Sends the final reply, whose header must carry the request's <c>op</c> and <c>id</c>, <c>ok: true</c>, and a
    /// <c>data_size</c> equal to <paramref name="body"/>'s length. Nothing can be sent for the request afterwards.
    /// </summary>
    public ValueTask ReplyAsync<T>(T reply, JsonTypeInfo<T> typeInfo, ReadOnlySequence<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        StartReply(ReplyState.Sent);
        LeaveInFlight();
        var output = Session.Output;
        var entered = output.EnterAsync();
        if (!entered.IsCompletedSuccessfully)
        {
            return ReplyAfterWaitAsync(entered, reply, typeInfo, body);
        }

        WriteFrame(output, reply, typeInfo, body);
        return ExitAfterReplyAsync(output);
    }

    private async ValueTask ReplyAfterWaitAsync<T>(ValueTask entered, T reply, JsonTypeInfo<T> typeInfo, ReadOnlySequence<byte> body)
    {
        await entered.ConfigureAwait(false);
        WriteFrame(Session.Output, reply, typeInfo, body);
        await FlushAndExitAsync(Session.Output).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the final reply's header and returns a writer for its body, which follows piece by piece (as a plain
    /// <c>echo</c> does while its request body arrives). The connection sends nothing else until the writer is
    /// disposed; if the request fails before that, the connection closes, since no error can be put inside the body.
    /// </summary>
    public async ValueTask<ReplyBodyWriter> BeginReplyAsync<T>(T reply, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        StartReply(ReplyState.Streaming);
        var output = Session.Output;
        await output.EnterAsync().ConfigureAwait(false);
        FrameWriter.WriteHeader(output.Writer, reply, typeInfo);
        return new ReplyBodyWriter(this, output);
    }

    /// <summary>Called by <see cref="ReplyBodyWriter"/> when the body is complete.</summary>
    internal ValueTask EndStreamedReplyAsync(SessionOutput output)
    {
        _replyState = ReplyState.Sent;
        LeaveInFlight();
        return ExitAfterReplyAsync(output);
    }

    /// <summary>
    /// Sends an intermediate frame (<c>kind: "part"</c>, with the request's <c>op</c> and <c>id</c>) and waits until it
    /// is on its way. When the client set a <c>window</c> on the request, waits first for the credit the body needs.
    /// </summary>
    /// <exception cref="ArgumentException">The body is longer than <see cref="ProtocolInfo.MaxPartBodyLength"/>.</exception>
    /// <exception cref="OperationCanceledException">The request was aborted while waiting.</exception>
    public async ValueTask SendPartAsync<T>(T part, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (body.Length > ProtocolInfo.MaxPartBodyLength)
        {
            throw new ArgumentException($"a part body may be at most {ProtocolInfo.MaxPartBodyLength} bytes", nameof(body));
        }

        if (_replyState != ReplyState.None)
        {
            throw new InvalidOperationException("the request has replied already; no part can follow its reply");
        }

        await TakeOutputCreditAsync(body.Length).ConfigureAwait(false);
        var output = Session.Output;
        await output.EnterAsync().ConfigureAwait(false);
        WriteFrame(output, part, typeInfo, new ReadOnlySequence<byte>(body));
        await FlushAndExitAsync(output).ConfigureAwait(false);
    }

    /// <summary>Adds credit the client granted with a <c>window</c> frame.</summary>
    internal void GrantOutput(long credit)
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _outputCredit = _outputCredit > long.MaxValue - credit ? long.MaxValue : _outputCredit + credit;
            waiter = _creditWaiter;
            _creditWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>
    /// The client half-closed: no <c>window</c> frame can come any more, so a request that runs out of credit is
    /// cancelled rather than left to wait for ever. This also covers a client that closed its socket having read all it
    /// was sent: that sends only a FIN, and a command it ran would otherwise run on for a reader that is gone.
    /// </summary>
    internal void EndOutputCredit()
    {
        lock (_lock)
        {
            _creditEnded = true;
        }

        WakeOutputWaiter();
    }

    private async ValueTask TakeOutputCreditAsync(int length)
    {
        while (true)
        {
            Task? wait = null;
            lock (_lock)
            {
                if (_abortReason != AbortReason.None)
                {
                    throw new OperationCanceledException("the request was aborted", Aborted);
                }

                if (_outputCredit >= length)
                {
                    _outputCredit -= length;
                    return;
                }

                if (!_creditEnded)
                {
                    _creditWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _creditWaiter.Task;
                }
            }

            // Decided under the lock: a grant that completes the waiter just after the lock is let go is not an end.
            if (wait is null)
            {
                Abort(AbortReason.Cancelled);
                throw new OperationCanceledException("the client half-closed with no window left for this request's output", Aborted);
            }

            await wait.ConfigureAwait(false);
        }
    }

    private void WakeOutputWaiter()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _creditWaiter;
            _creditWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>
    /// Sends an error as the final reply, unless the reply has begun; <see langword="false"/> when it could not be sent.
    /// </summary>
    internal async ValueTask<bool> TryReplyErrorAsync(SockitErrorCode code, string message)
    {
        if (_replyState != ReplyState.None)
        {
            return false;
        }

        _replyState = ReplyState.Sent;
        LeaveInFlight();
        var output = Session.Output;
        await output.EnterAsync().ConfigureAwait(false);
        SessionOutput.WriteError(output.Writer, code, message, Op, Id);
        await ExitAfterReplyAsync(output).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Gives the gate back after a final reply. A request running on by itself flushes its reply; one inside the loop
    /// leaves the flush to the loop, which sends the replies to pipelined requests together.
    /// </summary>
    private ValueTask ExitAfterReplyAsync(SessionOutput output)
    {
        if (_detached)
        {
            return FlushAndExitAsync(output);
        }

        output.Exit();
        ReleaseHeldBody();
        return ValueTask.CompletedTask;
    }

    /// <summary>Marks the request as running on while its connection's loop reads on; its frames are flushed as sent.</summary>
    internal void Detach()
    {
        _detached = true;
        Interlocked.MemoryBarrier();
    }

    /// <summary>Whether the request runs on by itself (see <see cref="Detach"/>).</summary>
    internal bool IsDetachedRequest => _detached;

    /// <summary>
    /// Frees the request's id before its final reply can reach the client, who may reuse the id, or its slot, as soon
    /// as it sees the reply. The connection still waits for the request to end before its last frame.
    /// </summary>
    private void LeaveInFlight()
    {
        if (Finish() && Id is long id)
        {
            Session.Requests.Remove(id, this);
        }
    }

    private void StartReply(ReplyState state)
    {
        if (_replyState != ReplyState.None)
        {
            throw new InvalidOperationException("the request has replied already");
        }

        _replyState = state;
    }

    private static void WriteFrame<T>(SessionOutput output, T header, JsonTypeInfo<T> typeInfo, ReadOnlySequence<byte> body)
    {
        FrameWriter.WriteHeader(output.Writer, header, typeInfo);
        foreach (var segment in body)
        {
            output.Writer.Write(segment.Span);
        }
    }

    private async ValueTask FlushAndExitAsync(SessionOutput output)
    {
        try
        {
            ReleaseHeldBody();
            await output.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            output.Exit();
        }
    }
}
