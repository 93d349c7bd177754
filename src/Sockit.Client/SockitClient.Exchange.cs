using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    private const int BodyChunkLength = 64 * 1024;

    // Only used to read back the fields of a header this client encoded itself.
    private static readonly FrameLimits UncheckedLimits = new(int.MaxValue, long.MaxValue);

    /// <summary>
    /// Sends one request and returns as soon as the reply's header has arrived; the reply body, if any, is read
    /// from the returned <see cref="SockitResponse{TReply}"/>. The building block for every operation.
    /// </summary>
    /// <typeparam name="TRequest">The request header type.</typeparam>
    /// <typeparam name="TReply">The successful reply's header type.</typeparam>
    /// <param name="createHeader">
    /// Builds the request header from the id the client assigns. The header must carry that <c>id</c>, an
    /// <c>op</c>, and a <c>data_size</c> equal to <paramref name="body"/>'s length.
    /// </param>
    /// <param name="requestTypeInfo">JSON metadata for <typeparamref name="TRequest"/>.</param>
    /// <param name="replyTypeInfo">JSON metadata for <typeparamref name="TReply"/>.</param>
    /// <param name="body">The request body; a stream body is copied to the socket as it is read.</param>
    /// <param name="cancellationToken">Cancels the request; a cancelled request closes the connection.</param>
    /// <returns>
    /// The reply. Dispose it to let the next request run; disposing before the body is read closes the connection
    /// unless the rest of the body has already arrived.
    /// </returns>
    /// <exception cref="SockitRemoteException">The server replied with a failure.</exception>
    /// <exception cref="SockitException">The request could not be completed (see the type's remarks).</exception>
    public async Task<SockitResponse<TReply>> SendAsync<TRequest, TReply>(
        Func<long, TRequest> createHeader,
        JsonTypeInfo<TRequest> requestTypeInfo,
        JsonTypeInfo<TReply> replyTypeInfo,
        SockitRequestBody body = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createHeader);
        ArgumentNullException.ThrowIfNull(requestTypeInfo);
        ArgumentNullException.ThrowIfNull(replyTypeInfo);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool handedOver = false;
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            ThrowIfBroken();
            long id = _lastId + 1;
            var header = EncodeRequestHeader(createHeader(id), requestTypeInfo, id, body.Length);
            _lastId = id;

            var (reply, bodyLength) = await ExchangeAsync(header, body, id, replyTypeInfo, cancellationToken)
                .ConfigureAwait(false);
            handedOver = true;
            return new SockitResponse<TReply>(this, reply, bodyLength);
        }
        finally
        {
            if (!handedOver)
            {
                ReleaseExchange();
            }
        }
    }

    internal long BodyRemaining => _reader.BodyRemaining;

    /// <summary>Reads the current reply body under the reply timeout; any failure closes the connection.</summary>
    internal async ValueTask<int> ReadReplyBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await WithTimeoutAsync(
                token => _reader.ReadBodyAsync(destination, token),
                $"the reply body from {_peer} stalled",
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = FaultAndTranslate(ex);
            if (ReferenceEquals(translated, ex))
            {
                throw;
            }

            throw translated;
        }
    }

    /// <summary>Ends the exchange a response belongs to, so the next request can run.</summary>
    internal void EndResponse()
    {
        // A body nobody read would be taken for the next reply; unless it is already here it cannot be skipped
        // without downloading it, so the connection goes instead.
        if (_fault is null && _reader.BodyRemaining > 0 && !_reader.TryReadBufferedBody(out _))
        {
            Fault(new SockitConnectionException(
                SockitErrorCode.ConnectionClosed,
                $"the connection to {_peer} was closed because a reply body was left unread"));
        }

        ReleaseExchange();
    }

    /// <summary>
    /// Encodes and checks a request's header into a buffer the client reuses (requests run one at a time), so a request
    /// allocates no frame array. The memory returned is valid until the next request.
    /// </summary>
    private ReadOnlyMemory<byte> EncodeRequestHeader<TRequest>(TRequest header, JsonTypeInfo<TRequest> typeInfo, long id, long bodyLength)
    {
        _headerBuffer.ResetWrittenCount();
        FrameWriter.WriteHeader(_headerBuffer, header, typeInfo);
        var frame = _headerBuffer.WrittenMemory;
        var sequence = new ReadOnlySequence<byte>(frame);
        FrameHead head;
        try
        {
            FrameParser.TryParseHead(ref sequence, UncheckedLimits, out head);
        }
        catch (SockitProtocolException ex)
        {
            throw new ArgumentException($"the request header is not a valid frame header: {ex.Message}", nameof(header), ex);
        }

        if (head.Op is null)
        {
            throw new ArgumentException("the request header has no op", nameof(header));
        }

        if (head.Id != id)
        {
            throw new ArgumentException($"the request header must carry the id {id} it was created with", nameof(header));
        }

        if (head.DataSize != bodyLength)
        {
            throw new ArgumentException(
                $"the request header announces data_size {head.DataSize} but the body has {bodyLength} bytes", nameof(header));
        }

        int headerLength = frame.Length - FrameParser.PrefixLength;
        if (Hello.MaxHeaderLength > 0 && headerLength > Hello.MaxHeaderLength)
        {
            throw new SockitException(
                SockitErrorCode.HeaderTooLarge,
                $"the request header is {headerLength} bytes; {_peer} accepts at most {Hello.MaxHeaderLength}");
        }

        return frame;
    }

    private async Task<(TReply Reply, long BodyLength)> ExchangeAsync<TReply>(
        ReadOnlyMemory<byte> header, SockitRequestBody body, long id, JsonTypeInfo<TReply> replyTypeInfo, CancellationToken cancellationToken)
    {
        try
        {
            await WriteRequestAsync(header, body, cancellationToken).ConfigureAwait(false);

            var head = await WithTimeoutAsync(
                    token => _reader.ReadHeadAsync(token),
                    $"no reply from {_peer}",
                    cancellationToken).ConfigureAwait(false)
                ?? throw new SockitConnectionException(
                    SockitErrorCode.ConnectionClosed, $"{_peer} closed the connection before replying");

            var status = head.Deserialize(SockitJsonContext.Default.ReplyStatus);
            if (status.Id is { } replyId ? replyId != id : status.Ok)
            {
                // Only a failure the server could not tie to a request may come without an id.
                throw new SockitProtocolException(
                    SockitErrorCode.ProtocolError,
                    $"the reply to request {id} carries id {(status.Id is null ? "none" : status.Id)}",
                    null,
                    status.Id);
            }

            if (!status.Ok)
            {
                await WithTimeoutAsync(
                    async token =>
                    {
                        await _reader.SkipBodyAsync(token).ConfigureAwait(false);
                        return true;
                    },
                    $"the reply body from {_peer} stalled",
                    cancellationToken).ConfigureAwait(false);
                var error = RemoteError(status, id);
                if (status.Id is null)
                {
                    // An error that names no request answers none: the server sends it (login_timeout, idle_timeout,
                    // shutting_down...) as it closes the connection, so later requests must not wait for a reply.
                    Fault(error);
                }

                throw error;
            }

            return (head.Deserialize(replyTypeInfo), head.DataSize);
        }
        catch (SockitRemoteException)
        {
            // The server answered in step: the connection is still good.
            throw;
        }
        catch (Exception ex)
        {
            var translated = FaultAndTranslate(ex);
            if (ReferenceEquals(translated, ex))
            {
                throw;
            }

            throw translated;
        }
    }

    private async Task WriteRequestAsync(ReadOnlyMemory<byte> header, SockitRequestBody body, CancellationToken cancellationToken)
    {
        _output.Write(header.Span);
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
            $"{_peer} stopped accepting data",
            cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new SockitConnectionException(SockitErrorCode.ConnectionClosed, $"the connection to {_peer} was closed");
        }
    }
}
