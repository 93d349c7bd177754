using System.Buffers;
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
    /// Sends a frame that steers request <paramref name="id"/>: <c>input</c> (with <paramref name="body"/>), <c>end</c>,
    /// <c>cancel</c> or <c>window</c> (with <paramref name="credit"/>). <paramref name="cancellationToken"/> only stops
    /// the wait for the writer: once the frame is started it is finished.
    /// </summary>
    internal ValueTask SendControlAsync(
        string kind, long id, long? credit, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SendSteeringAsync(
            (kind, id, credit, body.Length),
            static (control, state) =>
            {
                control.Kind = state.kind;
                control.Id = state.id;
                control.Credit = state.credit;
                control.DataSize = state.kind == ControlKinds.Input ? state.Length : null;
                return control;
            },
            SockitJsonContext.Default.ControlFrame,
            body,
            cancellationToken);

    /// <summary>
    /// Sends a frame that steers a running request with an operation's own fields (a <c>control</c> frame): the header
    /// must carry <c>kind</c> and the request's <c>id</c>. Same guarantees as the other steering frames.
    /// </summary>
    internal ValueTask SendSteeringAsync<T>(T header, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        SendSteeringAsync(header, static (_, header) => header, typeInfo, ReadOnlyMemory<byte>.Empty, cancellationToken);

    private async ValueTask SendSteeringAsync<TState, T>(
        TState state, Func<ControlFrame, TState, T> createHeader, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool started = false;
        try
        {
            ThrowIfBroken();
            if (!body.IsEmpty)
            {
                // One buffer for header and body: the stream writer sends each of its buffers with a send call of its
                // own, and a body copied in with Write lands in 4 KiB pieces (16 sends for a 64 KiB input frame).
                _output.GetMemory(HeaderSpaceHint + body.Length);
            }

            // The reused control object is touched only under the write lock.
            var header = createHeader(_control, state);
            var (_, length) = SerializeHeader(header, typeInfo, 0);
            started = true;
            _output.Advance(length);
            _output.Write(body.Span);
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
            await SendControlAsync(kind, id, credit, ReadOnlyMemory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
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

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var result = await WithTimeoutAsync(
            token => _output.FlushAsync(token),
            $"{Peer} stopped accepting data",
            cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new SockitConnectionException(SockitErrorCode.ConnectionClosed, $"the connection to {Peer} was closed");
        }
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
