using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

/// <summary>
/// A request in flight whose output comes in parts (<see cref="Frames"/>) before its final reply
/// (<see cref="GetReplyAsync"/>), and which can take input while it runs. Started by
/// <see cref="SockitClient.StartAsync{TRequest, TReply}"/>; dispose it when done.
/// </summary>
/// <typeparam name="TReply">The final reply's header type.</typeparam>
/// <remarks>
/// <para>
/// Cancelling the token given to <see cref="SockitClient.StartAsync{TRequest, TReply}"/>, calling <see cref="Cancel"/>,
/// or disposing the call before its final reply sends the server a <c>cancel</c> for it: the enumeration, the reply
/// and input then fail with an <see cref="OperationCanceledException"/>. The call keeps its in-flight slot until the
/// server's final reply for it comes; the client drops what the server still sends for it.
/// </para>
/// <para>
/// A streamed call has no reply timeout: it lasts as long as the server runs it, and the token bounds it. If the
/// connection fails, everything fails with the <see cref="SockitException"/> that says why.
/// </para>
/// </remarks>
public sealed class SockitCall<TReply> : IAsyncDisposable
{
    // The most input one flush carries: a write larger than this goes out in several.
    private const int MaxInputFlushLength = 1024 * 1024;

    private readonly SockitClient _client;
    private readonly CallState<TReply> _state;
    private readonly CancellationTokenRegistration _cancellation;
    private int _inputEnded;
    private int _disposed;

    internal SockitCall(SockitClient client, CallState<TReply> state, CancellationToken cancellationToken)
    {
        _client = client;
        _state = state;
        _cancellation = cancellationToken.UnsafeRegister(
            static (call, token) => ((SockitCall<TReply>)call!).Abandon(new OperationCanceledException(token)), this);
    }

    /// <summary>The request's <c>id</c> on this connection.</summary>
    public long Id => _state.Id;

    /// <summary>
    /// The parts, in the order the server sent them; the enumeration ends when the final reply has come, and throws
    /// after the last part if the request failed (a <see cref="SockitRemoteException"/>), was cancelled, or the
    /// connection failed. It can be enumerated once. Each part's memory is valid until the next one.
    /// </summary>
    public IAsyncEnumerable<SockitPart> Frames => _state;

    /// <summary>
    /// The final reply. Its body, if any, comes from the connection itself: nothing else is read from the connection
    /// until it has been read or disposed (disposing the call disposes it too).
    /// </summary>
    /// <exception cref="SockitRemoteException">The server answered with a failure.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled.</exception>
    /// <exception cref="SockitException">The connection failed.</exception>
    public Task<SockitResponse<TReply>> GetReplyAsync() => _state.Reply;

    /// <summary>
    /// Sends <paramref name="data"/> as <c>input</c> for the running request, in frames of at most 64 KiB, never
    /// more than the server has granted: it waits for the server's <c>window</c> grants when the credit runs out. One
    /// write at a time; the memory may be reused once the returned task completes.
    /// </summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Stops waiting for credit or for the connection; what was sent stays sent.</param>
    /// <exception cref="NotSupportedException">The server takes no input (no <c>input</c> feature).</exception>
    /// <exception cref="InvalidOperationException">The input was completed, or the request has ended.</exception>
    public async ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _client.RequireFeature(ProtocolFeatures.Input, "sending input");
        if (Volatile.Read(ref _inputEnded) != 0)
        {
            throw new InvalidOperationException($"the input of request {Id} is already complete");
        }

        while (!data.IsEmpty)
        {
            // As much as the credit allows goes out at once, in as many frames as it takes, with one send call; up to
            // 1 MiB, since the frames are copied into one buffer first.
            int chunk = await _state.Input.TakeAsync(Math.Min(data.Length, MaxInputFlushLength), cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.SendInputAsync(Id, data[..chunk], cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Nothing went out: the credit is still there for the next write.
                _state.Input.Grant(chunk);
                throw;
            }

            data = data[chunk..];
        }
    }

    /// <summary>Sends <c>end</c>: the request gets no more input. Later calls do nothing.</summary>
    /// <exception cref="NotSupportedException">The server takes no input (no <c>input</c> feature).</exception>
    public async ValueTask CompleteInputAsync(CancellationToken cancellationToken = default)
    {
        if (TakeInputEnd())
        {
            await _client.SendControlAsync(ControlKinds.End, Id, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends <c>end</c> with fields the operation defines (a streamed upload's hash): the header must have
    /// <c>kind: "end"</c> and this call's <see cref="Id"/>. The request gets no more input. Later calls do nothing.
    /// </summary>
    /// <exception cref="NotSupportedException">The server takes no input (no <c>input</c> feature).</exception>
    public async ValueTask CompleteInputAsync<T>(T header, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (TakeInputEnd())
        {
            await _client.SendSteeringAsync(header, typeInfo, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether this call is the one that ends the input: the first, and while the request still runs.</summary>
    private bool TakeInputEnd()
    {
        _client.RequireFeature(ProtocolFeatures.Input, "sending input");
        return Interlocked.Exchange(ref _inputEnded, 1) == 0 && !_state.Reply.IsCompleted;
    }

    /// <summary>
    /// Sends a <c>control</c> frame: steering the operation defines, such as resizing a remote command's terminal. The
    /// header must have <c>kind: "control"</c> and this call's <see cref="Id"/>; nothing answers it unless it is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request has ended.</exception>
    public async ValueTask SendControlAsync<T>(T header, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (_state.Reply.IsCompleted)
        {
            throw new InvalidOperationException($"request {Id} has ended");
        }

        await _client.SendSteeringAsync(header, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the server to stop the request (a <c>cancel</c> frame); the call ends with an
    /// <see cref="OperationCanceledException"/>. Does nothing once the final reply has come.
    /// </summary>
    public void Cancel() => Abandon(new OperationCanceledException($"request {Id} was cancelled"));

    /// <summary>
    /// Ends the call: cancels it if its final reply has not come, drops unread parts and disposes the final reply.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _cancellation.DisposeAsync().ConfigureAwait(false);
        Cancel();
        _state.DiscardParts();
        if (_state.Reply.IsCompletedSuccessfully)
        {
            await _state.Reply.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Abandon(Exception reason)
    {
        if (_state.TryAbandon(reason))
        {
            _client.GiveUp(_state, reason);
        }
    }
}
