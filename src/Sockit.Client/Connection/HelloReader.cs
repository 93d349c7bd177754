using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text.Json;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Connection;

/// <summary>
/// Reads the server's first frame straight from the pipe, before the connection's <see cref="FrameReader"/> starts.
/// </summary>
/// <remarks>
/// The frame parser takes every <c>window</c> field for a request's output window, which must be at least 1. In the
/// hello the same name is the input window, and a server without input announces 0 there; so the hello is parsed as
/// plain JSON instead.
/// </remarks>
internal static class HelloReader
{
    /// <summary>What the first frame said: its status (a refusal such as <c>server_busy</c>), and the hello if it is one.</summary>
    public static async Task<(ReplyStatus Status, HelloMessage? Hello)> ReadAsync(
        PipeReader input, FrameLimits limits, string peer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParse(ref buffer, limits, out var status, out var hello))
            {
                input.AdvanceTo(buffer.Start);
                if (hello is not null)
                {
                    Check(hello, peer);
                }

                return (status, hello);
            }

            if (result.IsCompleted)
            {
                throw buffer.IsEmpty
                    ? new SockitConnectionException(SockitErrorCode.ConnectionClosed, $"{peer} closed the connection without saying hello")
                    : new SockitProtocolException(SockitErrorCode.TruncatedFrame, $"{peer} closed the connection in the middle of its hello");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryParse(ref ReadOnlySequence<byte> buffer, FrameLimits limits, out ReplyStatus status, out HelloMessage? hello)
    {
        status = null!;
        hello = null;
        if (buffer.Length < FrameParser.PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[FrameParser.PrefixLength];
        buffer.Slice(0, FrameParser.PrefixLength).CopyTo(prefix);
        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0 || length > limits.MaxHeaderLength)
        {
            throw new SockitProtocolException(
                length <= 0 ? SockitErrorCode.InvalidHeaderLength : SockitErrorCode.HeaderTooLarge,
                $"the first frame announces a header of {length} bytes; the limit is {limits.MaxHeaderLength}");
        }

        if (buffer.Length < FrameParser.PrefixLength + length)
        {
            return false;
        }

        var header = buffer.Slice(FrameParser.PrefixLength, length);
        status = Deserialize(header, SockitJsonContext.Default.ReplyStatus);
        if (status.DataSize != 0)
        {
            throw new SockitProtocolException(SockitErrorCode.ProtocolError, "the first frame must not have a body");
        }

        if (status.Ok)
        {
            hello = Deserialize(header, SockitJsonContext.Default.HelloMessage);
        }

        buffer = buffer.Slice(header.End);
        return true;
    }

    /// <summary>
    /// Refuses a hello whose fields parse but cannot be used: one the protocol never sends as null, or a nonce (the
    /// first HMAC challenge) that is not base64. Found here, it is a protocol error like any other malformed hello,
    /// not a surprise at login.
    /// </summary>
    private static void Check(HelloMessage hello, string peer)
    {
        string? problem = hello switch
        {
            { Server: null } => "whose server is null",
            { Version: null } => "whose version is null",
            { Ops: null } => "whose ops is null",
            { Auth: null } => "whose auth is null",
            { AnonymousOps: null } => "whose anonymous_ops is null",
            { Features: null } => "whose features is null",
            { Nonce: null } => "whose nonce is null",
            _ when !Base64.IsValid(hello.Nonce) => "whose nonce is not base64",
            _ => null,
        };
        if (problem is not null)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidField, $"{peer} sent a hello {problem}");
        }
    }

    private static T Deserialize<T>(ReadOnlySequence<byte> header, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(header);
        try
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo)
                ?? throw new SockitProtocolException(SockitErrorCode.HeaderNotObject, "the first frame's header is not an object");
        }
        catch (JsonException ex)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidHeader, "the first frame's header is not valid JSON for a hello", ex);
        }
    }
}
