using System.Text;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    /// <summary>Sends <paramref name="body"/> and returns what the server sends back.</summary>
    /// <param name="body">The bytes to echo.</param>
    /// <param name="upper">Ask the server to upper-case the text (the body must then be UTF-8).</param>
    /// <param name="cancellationToken">Cancels the request (and closes the connection).</param>
    public async Task<byte[]> EchoAsync(
        ReadOnlyMemory<byte> body, bool upper = false, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(
            id => new EchoRequest { Id = id, DataSize = body.Length, Upper = upper },
            SockitJsonContext.Default.EchoRequest,
            SockitJsonContext.Default.EchoReply,
            SockitRequestBody.FromMemory(body),
            cancellationToken).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            return await response.ReadBodyAsArrayAsync(Options.FrameLimits.MaxBodyLength, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="text"/> as UTF-8 and returns the server's answer as text.</summary>
    /// <param name="text">The text to echo.</param>
    /// <param name="upper">Ask the server to upper-case it.</param>
    /// <param name="cancellationToken">Cancels the request (and closes the connection).</param>
    public async Task<string> EchoAsync(string text, bool upper = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reply = await EchoAsync(Encoding.UTF8.GetBytes(text), upper, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(reply);
    }

    /// <summary>Asks for the server's local time.</summary>
    /// <param name="format">
    /// A Python strftime format such as <c>%H:%M</c>; <see langword="null"/> or empty lets the server use its
    /// default, <c>%Y-%m-%d %X</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels the request (and closes the connection).</param>
    /// <returns>The formatted time.</returns>
    public async Task<string> TimeAsync(string? format = null, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(
            id => new TimeRequest { Id = id, Format = string.IsNullOrEmpty(format) ? null : format },
            SockitJsonContext.Default.TimeRequest,
            SockitJsonContext.Default.TimeReply,
            cancellationToken).ConfigureAwait(false);
        return reply.Time;
    }

    /// <summary>
    /// Sends a request without a body and returns the reply header; a reply body, if the server sends one, is
    /// skipped. For requests or replies with bodies use
    /// <see cref="SendAsync{TRequest, TReply}(Func{long, TRequest}, JsonTypeInfo{TRequest}, JsonTypeInfo{TReply}, SockitRequestBody, CancellationToken)"/>.
    /// </summary>
    /// <inheritdoc cref="SendAsync{TRequest, TReply}(Func{long, TRequest}, JsonTypeInfo{TRequest}, JsonTypeInfo{TReply}, SockitRequestBody, CancellationToken)"/>
    public async Task<TReply> RequestAsync<TRequest, TReply>(
        Func<long, TRequest> createHeader,
        JsonTypeInfo<TRequest> requestTypeInfo,
        JsonTypeInfo<TReply> replyTypeInfo,
        CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(createHeader, requestTypeInfo, replyTypeInfo, SockitRequestBody.Empty, cancellationToken)
            .ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            if (response.BodyRemaining > 0)
            {
                var scratch = new byte[(int)Math.Min(response.BodyRemaining, 64 * 1024)];
                while (await response.ReadBodyAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }

            return response.Reply;
        }
    }
}
