using System.Buffers;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;
using Sockit.Server.Hosting;

namespace Sockit.Server.Echo;

/// <summary>
/// The framed <c>echo</c>: the body comes back as it was, streamed through as it arrives, or upper-cased
/// (Unicode-aware, so the body must be UTF-8 and is held in memory under <see cref="MaxBodyLength"/>).
/// </summary>
internal sealed class EchoOperation : ISockitOperation
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Flushing every so often while streaming keeps a large echo from piling up in the output pipe.
    private const long FlushThreshold = 64 * 1024;

    public EchoOperation(SockitServerOptions options)
    {
        MaxBodyLength = options.MaxEchoBodyLength;
    }

    public string Name => Ops.Echo;

    public long MaxBodyLength { get; }

    public ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.Head.Deserialize(SockitJsonContext.Default.EchoRequest);
        if (header.Upper)
        {
            return UpperAsync(request);
        }

        var reply = new EchoReply { Id = request.Id, DataSize = request.Head.DataSize };
        if (request.TryReadBufferedBody(out var buffered))
        {
            return request.ReplyAsync(reply, SockitJsonContext.Default.EchoReply, buffered);
        }

        return StreamAsync(request, reply);
    }

    private async ValueTask UpperAsync(SockitRequest request)
    {
        var body = await request.ReadBodyAsArrayAsync(MaxBodyLength).ConfigureAwait(false);
        var upper = ToUpper(body);
        await request.ReplyAsync(
            new EchoReply { Id = request.Id, DataSize = upper.Length },
            SockitJsonContext.Default.EchoReply,
            new ReadOnlySequence<byte>(upper)).ConfigureAwait(false);
    }

    /// <summary>Passes the body back as it arrives, so a large echo need not wait for its whole request.</summary>
    private static async ValueTask StreamAsync(SockitRequest request, EchoReply reply)
    {
        var body = await request.BeginReplyAsync(reply, SockitJsonContext.Default.EchoReply).ConfigureAwait(false);
        long unflushed = 0;
        bool first = true;
        while (true)
        {
            var chunk = await request.ReadBodyChunkAsync().ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                await body.CompleteAsync().ConfigureAwait(false);
                return;
            }

            body.Write(chunk);
            unflushed += chunk.Length;

            // The first piece goes out at once, so the reply starts while the request is still arriving.
            if (unflushed >= FlushThreshold || first)
            {
                first = false;
                unflushed = 0;
                await body.FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private static byte[] ToUpper(byte[] body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "upper needs a UTF-8 body; this body is not valid UTF-8");
        }

        return StrictUtf8.GetBytes(text.ToUpperInvariant());
    }
}
