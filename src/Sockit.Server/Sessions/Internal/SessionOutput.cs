using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;

namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// The one way out of a connection: every reply, part, window grant and event is written while holding this gate,
/// one frame at a time, so frames of different requests never mix. Waiters get the gate in the order they asked,
/// which keeps a large stream from starving a small reply for longer than one frame.
/// </summary>
/// <remarks>
/// Writes do not flush by themselves. The connection's read loop flushes the replies of the requests it ran
/// inline once it runs out of frames to read (so pipelined replies go out together); a request running on its own
/// flushes after each frame it writes. A flush that waits on a client not reading is bounded by the write deadline.
/// </remarks>
internal sealed class SessionOutput : IDisposable
{
    private readonly OutputGate _gate = new();
    private readonly TimeSpan _writeTimeout;
    private CancellationTokenSource _writeDeadline = new();

    public SessionOutput(PipeWriter output, TimeSpan writeTimeout)
    {
        Writer = output;
        _writeTimeout = writeTimeout;
    }

    /// <summary>Where frames go; only write it while holding the gate.</summary>
    public PipeWriter Writer { get; }

    /// <summary>
    /// How much written but unflushed output a connection may hold before the server flushes it and waits for the
    /// client to take it, whatever wrote it.
    /// </summary>
    public const int MaxUnflushed = 64 * 1024;

    /// <summary>
    /// Whether the output written since the last flush has passed <see cref="MaxUnflushed"/>. Outputs that cannot
    /// count unflushed bytes always report <see langword="true"/>, so every request is flushed.
    /// </summary>
    public bool IsBackedUp => !Writer.CanGetUnflushedBytes || Writer.UnflushedBytes >= MaxUnflushed;

    private bool HasUnflushed => !Writer.CanGetUnflushedBytes || Writer.UnflushedBytes > 0;

    /// <summary>
    /// Takes the gate; completes at once (without allocating) when nobody holds it. Throws
    /// <see cref="OperationCanceledException"/> once the connection is closing (<see cref="Close"/>), so no writer waits
    /// for a gate a failed writer will never give back.
    /// </summary>
    public ValueTask EnterAsync() => _gate.EnterAsync();

    /// <summary>Ends every wait for the gate, present and future: the connection is closing.</summary>
    public void Close() => _gate.Close();

    /// <summary>Gives the gate back.</summary>
    public void Exit() => _gate.Exit();

    /// <summary>Flushes what has been written, taking the gate for it; nothing to do when nothing is waiting.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushPendingAsync()
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            if (HasUnflushed)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Sends what has been written so far; call while holding the gate. A client that takes none of it for the write
    /// deadline gets a <see cref="SockitTimeoutException"/> with <see cref="SockitErrorCode.WriteTimeout"/>.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var pending = Writer.FlushAsync(cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            ThrowIfCanceled(pending.Result);
            return ValueTask.CompletedTask;
        }

        // Only a flush that waits on the client (back-pressure) needs a deadline; most complete at once.
        return AwaitWithDeadlineAsync(pending, cancellationToken);
    }

    private async ValueTask AwaitWithDeadlineAsync(ValueTask<FlushResult> pending, CancellationToken cancellationToken)
    {
        if (_writeTimeout == Timeout.InfiniteTimeSpan)
        {
            ThrowIfCanceled(await pending.ConfigureAwait(false));
            return;
        }

        _writeDeadline.CancelAfter(_writeTimeout);
        var registration = _writeDeadline.Token.UnsafeRegister(static state => ((PipeWriter)state!).CancelPendingFlush(), Writer);
        FlushResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        finally
        {
            registration.Dispose();
        }

        bool expired = _writeDeadline.IsCancellationRequested;
        if (!_writeDeadline.TryReset())
        {
            _writeDeadline.Dispose();
            _writeDeadline = new CancellationTokenSource();
        }

        if (result.IsCanceled && expired && !cancellationToken.IsCancellationRequested)
        {
            throw new SockitTimeoutException(
                $"the client read no reply data for {_writeTimeout.TotalSeconds:0.###} s", SockitErrorCode.WriteTimeout);
        }

        ThrowIfCanceled(result);
    }

    private static void ThrowIfCanceled(FlushResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the flush was cancelled");
        }
    }

    /// <summary>
    /// Sends a <c>probe</c> frame (taking the gate) and says whether the connection still carries output: after the
    /// client's end of stream, a client that closed its socket answers a probe with a reset, which fails the send
    /// after it, and the flush after that finds the output completed. <see langword="false"/> also when the client
    /// takes nothing for the write deadline.
    /// </summary>
    public async ValueTask<bool> ProbeAsync()
    {
        try
        {
            await EnterAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection is closing already.
            return false;
        }

        try
        {
            Writer.Write(ProbeFrame.Bytes);
            var pending = Writer.FlushAsync();
            if (pending.IsCompletedSuccessfully)
            {
                return !pending.Result.IsCompleted;
            }

            // A completed output never makes a flush wait, so this one found the client there; if it went meanwhile, the
            // next probe's flush (or the socket's state) says so.
            await AwaitWithDeadlineAsync(pending, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (SockitTimeoutException)
        {
            return false;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Writes an error frame; messages are escaped, since they may quote what a client sent.</summary>
    public static void WriteError(PipeWriter output, SockitErrorCode code, string message, string? op, long? id) =>
        FrameWriter.WriteHeader(
            output,
            new ErrorReply
            {
                Op = op is null ? null : UntrustedText.Escape(op),
                Id = id,
                Error = code.Value,
                Message = UntrustedText.Escape(message, UntrustedText.MaxMessageLength),
            },
            SockitJsonContext.Default.ErrorReply);

    /// <summary>Releases the write deadline's timer. The connection does this when it ends.</summary>
    public void Dispose() => _writeDeadline.Dispose();
}
