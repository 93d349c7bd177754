using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;

namespace Sockit.Client;

/// <summary>
/// One <c>part</c> frame of a streamed call (<see cref="SockitCall{TReply}.Frames"/>): some of the request's output,
/// before its final reply.
/// </summary>
/// <remarks>
/// <see cref="Header"/> and <see cref="Body"/> point into a pooled buffer that stays valid only until the enumeration
/// moves to the next part (or ends, or the call is disposed); copy what you need to keep. Moving on also grants the
/// server room for more output.
/// </remarks>
public readonly struct SockitPart
{
    internal SockitPart(string? op, ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> body)
    {
        Op = op;
        Header = header;
        Body = body;
    }

    /// <summary>The part's <c>op</c> (the request's).</summary>
    public string? Op { get; }

    /// <summary>The part's header, UTF-8 JSON, with the operation's own fields (valid until the next part).</summary>
    public ReadOnlyMemory<byte> Header { get; }

    /// <summary>The part's body, possibly empty (valid until the next part).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Reads the header into <typeparamref name="T"/>.</summary>
    /// <exception cref="SockitProtocolException">A field has the wrong type (<see cref="SockitErrorCode.InvalidField"/>).</exception>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo) => HeaderCopy.Deserialize(Header.Span, typeInfo, "part");
}
