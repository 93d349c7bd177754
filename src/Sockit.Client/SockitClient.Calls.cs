using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    /// <summary>
    /// Starts a streamed call: sends the request (with the output window of <paramref name="options"/>) and returns
    /// once it is on its way, without waiting for any answer. Its parts, final reply and input go through the
    /// returned <see cref="SockitCall{TReply}"/>.
    /// </summary>
    /// <typeparam name="TRequest">The request header type.</typeparam>
    /// <typeparam name="TReply">The final reply's header type.</typeparam>
    /// <param name="createHeader">
    /// Builds the request header from the id the client assigns, as for
    /// <see cref="SendAsync{TRequest, TReply}(Func{long, TRequest}, JsonTypeInfo{TRequest}, JsonTypeInfo{TReply}, SockitRequestBody, CancellationToken)"/>;
    /// the client adds the <c>window</c> field.
    /// </param>
    /// <param name="requestTypeInfo">JSON metadata for <typeparamref name="TRequest"/>.</param>
    /// <param name="replyTypeInfo">JSON metadata for <typeparamref name="TReply"/>.</param>
    /// <param name="body">The request frame's own body; more can follow as input.</param>
    /// <param name="options">The output window; <see langword="null"/> for <see cref="SockitCallOptions.Default"/>.</param>
    /// <param name="cancellationToken">
    /// Bounds the whole call, not just its start: cancelling it later sends the server a <c>cancel</c>.
    /// </param>
    /// <exception cref="NotSupportedException">The server does not speak streamed calls (protocol 1, no <c>parts</c> feature).</exception>
    /// <exception cref="SockitException">The request could not be sent.</exception>
    public async Task<SockitCall<TReply>> StartAsync<TRequest, TReply>(
        Func<long, TRequest> createHeader,
        JsonTypeInfo<TRequest> requestTypeInfo,
        JsonTypeInfo<TReply> replyTypeInfo,
        SockitRequestBody body = default,
        SockitCallOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createHeader);
        ArgumentNullException.ThrowIfNull(requestTypeInfo);
        ArgumentNullException.ThrowIfNull(replyTypeInfo);
        options ??= SockitCallOptions.Default;
        options.Validate();
        RequireFeature(ProtocolFeatures.Parts, "a streamed call");

        var state = new CallState<TReply>(this, replyTypeInfo, options.OutputWindow, Math.Max(0, Hello.InputWindow));
        await StartRequestAsync(state, createHeader, requestTypeInfo, body, cancellationToken).ConfigureAwait(false);
        return new SockitCall<TReply>(this, state, cancellationToken);
    }
}
