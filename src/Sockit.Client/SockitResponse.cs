using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;

namespace Sockit.Client;

/// <summary>
/// A successful reply whose header has arrived; its body, if any, is still on the wire and is read from the
/// connection itself. Until the body has been read to its end or this is disposed, the client reads nothing else
/// from the connection: other replies, parts and events wait.
/// </summary>
/// <typeparam name="TReply">The reply header type.</typeparam>
/// <remarks>
/// Read the body with <see cref="Body"/>, <see cref="CopyBodyToAsync"/> or <see cref="ReadBodyAsArrayAsync"/>, from
/// one task at a time. Each read waits at most the client's reply timeout for the next piece. Disposing with body
/// bytes still to come closes the connection, since they would otherwise be taken for the next frame.
/// </remarks>
public sealed class SockitResponse<TReply> : IAsyncDisposable
{
    private readonly ReplyBody? _lent;
    private BodyStream? _body;
    private bool _disposed;

    internal SockitResponse(ReplyBody? lent, TReply reply, long bodyLength)
    {
        _lent = lent;
        Reply = reply;
        BodyLength = bodyLength;
    }

    /// <summary>The reply header.</summary>
    public TReply Reply { get; }

    /// <summary>The body's size in bytes (the reply's <c>data_size</c>).</summary>
    public long BodyLength { get; }

    /// <summary>Body bytes not read yet.</summary>
    public long BodyRemaining => _disposed || _lent is null ? 0 : _lent.Remaining;

    /// <summary>The body as a read-only, asynchronous-only stream that ends where the body ends.</summary>
    public Stream Body
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _body ??= new BodyStream(ReadBodyAsync);
        }
    }

    /// <summary>Reads body bytes into <paramref name="destination"/>; 0 means the body is finished.</summary>
    public ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _lent is null ? ValueTask.FromResult(0) : _lent.ReadAsync(destination, cancellationToken);
    }

    /// <summary>Reads the rest of the body into a new array.</summary>
    /// <param name="maxLength">Refuse bodies larger than this, before allocating anything.</param>
    /// <param name="cancellationToken">Cancels the read (and closes the connection).</param>
    /// <exception cref="SockitProtocolException">The body is larger than <paramref name="maxLength"/>.</exception>
    public async ValueTask<byte[]> ReadBodyAsArrayAsync(long maxLength, CancellationToken cancellationToken = default)
    {
        long remaining = BodyRemaining;
        if (remaining > maxLength || remaining > Array.MaxLength)
        {
            throw new SockitProtocolException(
                SockitErrorCode.BodyTooLarge,
                $"the reply body of {remaining} bytes exceeds the limit of {Math.Min(maxLength, Array.MaxLength)} bytes");
        }

        var body = new byte[remaining];
        int filled = 0;
        while (filled < body.Length)
        {
            filled += await ReadBodyAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
        }

        return body;
    }

    /// <summary>Copies the rest of the body to <paramref name="destination"/>.</summary>
    public async Task CopyBodyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new byte[(int)Math.Clamp(BodyRemaining, 1, 64 * 1024)];
        int read;
        while ((read = await ReadBodyAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands the connection back to the client's reader (see the type's remarks).</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _lent?.Return();
        }

        return ValueTask.CompletedTask;
    }
}
