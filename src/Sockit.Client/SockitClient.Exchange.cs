using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    /// <summary>
    /// Sends one request and returns as soon as the reply's header has arrived; the reply body, if any, is read
    /// from the returned <see cref="SockitResponse{TReply}"/>. The building block for every operation.
    /// </summary>
    /// <typeparam name="TRequest">The request header type.</typeparam>
    /// <typeparam name="TReply">The successful reply's header type.</typeparam>
    /// <param name="createHeader">
    /// Builds the request header from the id the client assigns. The header must carry that <c>id</c>, an
    /// <c>op</c>, and a <c>data_size</c> equal to <paramref name="body"/>'s length. It is called with the client's
    /// writer held, so it should only build the header.
    /// </param>
    /// <param name="requestTypeInfo">JSON metadata for <typeparamref name="TRequest"/>.</param>
    /// <param name="replyTypeInfo">JSON metadata for <typeparamref name="TReply"/>.</param>
    /// <param name="body">
    /// The request body; a stream body is copied to the socket as it is read, and no other frame goes out meanwhile.
    /// </param>
    /// <param name="cancellationToken">
    /// Cancels the request: on a server with the <c>cancel</c> feature a <c>cancel</c> frame stops it there and the
    /// connection stays; otherwise the connection is closed. Cancelling while a body is being sent closes it too.
    /// </param>
    /// <returns>
    /// The reply. Until its body has been read or the response disposed, nothing else is read from the connection:
    /// dispose it promptly. Disposing before the body is read closes the connection unless the rest of the body has
    /// already arrived. Parts the server sends for the request, if any, are skipped: use
    /// <see cref="StartAsync{TRequest, TReply}"/> for those.
    /// </returns>
    /// <exception cref="SockitRemoteException">The server replied with a failure.</exception>
    /// <exception cref="SockitTimeoutException">No reply within <see cref="SockitClientOptions.ReplyTimeout"/>.</exception>
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
        var request = new ReplyRequest<TReply>(replyTypeInfo);
        await StartRequestAsync(request, createHeader, requestTypeInfo, body, cancellationToken).ConfigureAwait(false);
        return await AwaitReplyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the reply of a request that has gone out, within the reply timeout.</summary>
    private async Task<SockitResponse<TReply>> AwaitReplyAsync<TReply>(ReplyRequest<TReply> request, CancellationToken cancellationToken)
    {
        if (request.Reply.IsCompleted)
        {
            return await request.Reply.ConfigureAwait(false);
        }

        // Whichever comes first settles the request: its reply, the timeout or the caller's cancellation.
        using var timeout = Options.ReplyTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(Options.ReplyTimeout);
        using var onTimeout = timeout?.Token.UnsafeRegister(
            static state =>
            {
                var (client, request) = ((SockitClient, ReplyRequest<TReply>))state!;
                client.Abandon(request, client.TimedOut($"no reply from {client.Peer}", null));
            },
            (this, request));
        using var onCancel = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (client, request) = ((SockitClient, ReplyRequest<TReply>))state!;
                client.Abandon(request, new OperationCanceledException(token));
            },
            (this, request));
        return await request.Reply.ConfigureAwait(false);
    }

    /// <summary>Takes a slot and writes the request; a request that never went out gives its slot back.</summary>
    private async Task StartRequestAsync<TRequest>(
        PendingRequest request, Func<long, TRequest> createHeader, JsonTypeInfo<TRequest> typeInfo, SockitRequestBody body,
        CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteRequestAsync(request, createHeader, typeInfo, body, cancellationToken).ConfigureAwait(false);
        }
        catch when (request.Id == 0)
        {
            ReleaseSlot();
            throw;
        }
    }

    private void Abandon<TReply>(ReplyRequest<TReply> request, Exception reason)
    {
        if (request.TryAbandon(reason))
        {
            GiveUp(request, reason);
        }
    }

    /// <summary>Body bytes of the reply whose body is lent out, not read yet.</summary>
    internal long LentBodyRemaining => _reader.BodyRemaining;

    /// <summary>Reads the lent reply body under the reply timeout; any failure closes the connection.</summary>
    internal async ValueTask<int> ReadLentBodyAsync(ReplyBody body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw Closed(fault);
        }

        try
        {
            int read = await WithTimeoutAsync(
                token => _reader.ReadBodyAsync(destination, token),
                $"the reply body from {Peer} stalled",
                cancellationToken).ConfigureAwait(false);
            if (_reader.BodyRemaining == 0)
            {
                // All read: the read loop can go on without waiting for the response to be disposed.
                body.Return();
            }

            return read;
        }
        catch (Exception ex)
        {
            FaultAndThrow(ex);
            throw;
        }
    }

    /// <summary>The caller is done with a lent body: the reader goes back to the read loop.</summary>
    internal void EndLentBody(ReplyBody body)
    {
        // A body nobody read would be taken for the next frame; unless it is already here it cannot be skipped
        // without downloading it, so the connection goes instead.
        if (Volatile.Read(ref _fault) is null && _reader.BodyRemaining > 0 && !_reader.TryReadBufferedBody(out _))
        {
            Fault(new SockitConnectionException(
                SockitErrorCode.ConnectionClosed,
                $"the connection to {Peer} was closed because a reply body was left unread"));
        }

        ReaderReturned(body);
    }

    internal static SockitRemoteException RemoteError(ReplyStatus status, long? requestId)
    {
        var code = string.IsNullOrEmpty(status.Error) ? SockitErrorCode.ProtocolError : new SockitErrorCode(status.Error);
        var message = string.IsNullOrEmpty(status.Message) ? $"the server replied with error {code}" : status.Message;
        return new SockitRemoteException(code, message, status.Id ?? requestId);
    }
}
