using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

// Sending: one frame at a time under the write lock, each header serialized straight into the output pipe's memory.
public sealed partial class SockitClient
{
    private const int BodyChunkLength = 64 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ControlFrame _control = new();
    private long _lastId;
    private bool _outputCompleted;

    /// <summary>
    /// Writes a request: assigns it the next id, checks its header, registers it with the read loop and sends header
    /// and body. A request refused before anything was written leaves the connection as it was; a failure after the
    /// first byte closes it.
    /// </summary>
    private async Task WriteRequestAsync<TRequest>(
        PendingRequest request, Func<long, TRequest> createHeader, JsonTypeInfo<TRequest> typeInfo, SockitRequestBody body,
        CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool registered = false;
        try
        {
            ThrowIfBroken();
            if (body.Stream is null && body.Length > 0)
            {
                // One buffer for header and body, so a small request (a put of a small file) is one send call: the
                // stream writer sends each of its buffers with a call of its own.
                _output.GetMemory(HeaderSpaceHint + WindowFieldReserve + (int)body.Length);
            }

            long id = _lastId + 1;
            int frameLength = EncodeRequestHeader(createHeader(id), typeInfo, id, body.Length, request.OutputWindow);
            Register(request, id);
            registered = true;
            _lastId = id;
            _output.Advance(frameLength);
            await WriteBodyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (registered)
        {
            FaultAndThrow(ex);
        }
        finally
        {
            ReleaseWriter();
        }
    }

    /// <summary>
    /// Sends a frame that steers request <paramref name="id"/>: <c>end</c>, <c>cancel</c> or <c>window</c> (with
    /// <paramref name="credit"/>). <paramref name="cancellationToken"/> only stops the wait for the writer: once the frame
    /// is started it is finished.
    /// </summary>
    internal ValueTask SendControlAsync(string kind, long id, long? credit, CancellationToken cancellationToken) =>
        SendSteeringAsync(
            (kind, id, credit),
            static (control, state) =>
            {
                control.Kind = state.kind;
                control.Id = state.id;
                control.Credit = state.credit;
                control.DataSize = null;
                return control;
            },
            SockitJsonContext.Default.ControlFrame,
            cancellationToken);

    /// <summary>
    /// Sends <paramref name="data"/> as input of request <paramref name="id"/>: in <c>input</c> frames of up to
    /// <see cref="ProtocolInfo.MaxPartBodyLength"/> bytes, flushed together. Each send call wakes the server, and on a
    /// busy machine every wake-up costs both ends a thread hand-off, so a large write is one call, not one per frame.
    /// <paramref name="cancellationToken"/> only stops the wait for the writer: once a frame is started it is finished.
    /// </summary>
    internal async ValueTask SendInputAsync(long id, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool started = false;
        try
        {
            ThrowIfBroken();

            // One buffer for all the frames: the stream writer sends each of its buffers with a send call of its own, and
            // a body copied in with Write would otherwise land in 4 KiB pieces.
            int frames = Math.Max(1, (data.Length + ProtocolInfo.MaxPartBodyLength - 1) / ProtocolInfo.MaxPartBodyLength);
            _output.GetMemory((frames * HeaderSpaceHint) + data.Length);
            do
            {
                var piece = data[..Math.Min(data.Length, ProtocolInfo.MaxPartBodyLength)];
                _control.Kind = ControlKinds.Input;
                _control.Id = id;
                _control.Credit = null;
                _control.DataSize = piece.Length;
                var (_, length) = SerializeHeader(_control, SockitJsonContext.Default.ControlFrame, 0);
                started = true;
                _output.Advance(length);
                _output.Write(piece.Span);
                data = data[piece.Length..];
            }
            while (!data.IsEmpty);

            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (started)
        {
            FaultAndThrow(ex);
        }
        finally
        {
            ReleaseWriter();
        }
    }

    /// <summary>
    /// Sends a frame that steers a running request with an operation's own fields (a <c>control</c> frame): the header
    /// must carry <c>kind</c> and the request's <c>id</c>. Same guarantees as the other steering frames.
    /// </summary>
    internal ValueTask SendSteeringAsync<T>(T header, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        SendSteeringAsync(header, static (_, header) => header, typeInfo, cancellationToken);

    private async ValueTask SendSteeringAsync<TState, T>(
        TState state, Func<ControlFrame, TState, T> createHeader, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool started = false;
        try
        {
            ThrowIfBroken();

            // The reused control object is touched only under the write lock.
            var header = createHeader(_control, state);
            var (_, length) = SerializeHeader(header, typeInfo, 0);
            started = true;
            _output.Advance(length);
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (started)
        {
            FaultAndThrow(ex);
        }
        finally
        {
            ReleaseWriter();
        }
    }

    /// <summary>Sends a control frame nobody waits for; if the connection is gone, so is the reason to send it.</summary>
    internal async Task TrySendControlAsync(string kind, long id, long? credit)
    {
        try
        {
            await SendControlAsync(kind, id, credit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SockitException or ObjectDisposedException)
        {
            // The connection failed or was disposed; whoever waits on it has been told.
        }
    }

    private async Task WriteBodyAsync(SockitRequestBody body, CancellationToken cancellationToken)
    {
        if (body.Stream is null)
        {
            _output.Write(body.Memory.Span);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        long remaining = body.Length;
        while (remaining > 0)
        {
            var memory = _output.GetMemory(BodyChunkLength);
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }

            int read = await body.Stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new SockitException(
                    SockitErrorCode.InvalidArgument,
                    $"the request body stream ended {remaining} bytes short of the {body.Length} announced");
            }

            _output.Advance(read);
            remaining -= read;
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (body.Length == 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is in the output pipe, within the reply timeout; only with the write lock held.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flush = _output.FlushAsync(cancellationToken);

        // Most flushes find room in the socket's buffer and are done at once: the deadline, a timer, is armed only for
        // one that has to wait. A put -r of many small files flushes once per file.
        var result = flush.IsCompletedSuccessfully ? flush.Result : await AwaitFlushAsync(flush).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new SockitConnectionException(SockitErrorCode.ConnectionClosed, $"the connection to {Peer} was closed");
        }
    }

    /// <summary>Waits for a flush that could not finish at once, within the reply timeout.</summary>
    private async ValueTask<FlushResult> AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        if (Options.ReplyTimeout == Timeout.InfiniteTimeSpan)
        {
            return await flush.ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(Options.ReplyTimeout);
        using var onDeadline = deadline.Token.UnsafeRegister(static output => ((PipeWriter)output!).CancelPendingFlush(), _output);
        var result = await flush.ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw TimedOut($"{Peer} stopped accepting data", null);
        }

        return result;
    }

    private void ReleaseWriter()
    {
        if (Volatile.Read(ref _fault) is not null)
        {
            CompleteOutput();
        }

        _writeLock.Release();
    }

    /// <summary>Completes the output pipe, once; only with the write lock held.</summary>
    private void CompleteOutput()
    {
        if (!_outputCompleted)
        {
            _outputCompleted = true;

            // With an exception the writer drops anything unflushed instead of writing it to a closed socket.
            _output.Complete(_fault);
        }
    }
}
