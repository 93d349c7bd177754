using System.Buffers;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Framed;
using Sockit.Server.Hosting;

namespace Sockit.Server.Echo;

/// <summary>
/// The framed <c>echo</c>: the body comes back as it was, streamed through as it arrives, or upper-cased
/// (Unicode-aware, so the body must be UTF-8 and is held in memory under <see cref="MaxBodyLength"/>).
/// </summary>
internal sealed class EchoOperation : IFramedOperation
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

    public async ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken)
    {
        var request = head.Deserialize(SockitJsonContext.Default.EchoRequest);
        if (request.Upper)
        {
            var body = await session.Reader.ReadBodyAsArrayAsync(MaxBodyLength, cancellationToken).ConfigureAwait(false);
            var upper = ToUpper(body);
            session.WriteReply(new EchoReply { Id = head.Id, DataSize = upper.Length }, SockitJsonContext.Default.EchoReply);
            session.Output.Write(upper);
            return;
        }

        session.WriteReply(new EchoReply { Id = head.Id, DataSize = head.DataSize }, SockitJsonContext.Default.EchoReply);
        if (session.Reader.TryReadBufferedBody(out var buffered))
        {
            session.WriteBody(buffered);
            return;
        }

        session.BeginStreamingReply();
        long unflushed = 0;
        bool first = true;
        while (true)
        {
            var chunk = await session.Reader.ReadBodyChunkAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                session.EndStreamingReply();
                return;
            }

            session.WriteBody(chunk);
            unflushed += chunk.Length;

            // The first piece goes out at once, so the reply starts while the request is still arriving.
            if (unflushed >= FlushThreshold || first)
            {
                first = false;
                unflushed = 0;
                await session.FlushAsync(cancellationToken).ConfigureAwait(false);
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
