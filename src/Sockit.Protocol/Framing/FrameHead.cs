using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Protocol.Framing;

/// <summary>
/// The parsed start of a frame: the raw JSON header plus the fields every frame may carry.
/// </summary>
/// <remarks>
/// <see cref="Header"/> points into the reader's buffer. It stays valid only until the next call on the
/// <see cref="FrameReader"/> that produced it (reading the body or the next head); copy or deserialize it before.
/// </remarks>
public readonly struct FrameHead
{
    internal FrameHead(
        ReadOnlySequence<byte> header, string? op, long? id, long dataSize, FrameKind kind, string? kindText, long? credit, long? window)
    {
        Header = header;
        Op = op;
        Id = id;
        DataSize = dataSize;
        Kind = kind;
        KindText = kindText;
        Credit = credit;
        Window = window;
    }

    /// <summary>The UTF-8 JSON header bytes (valid until the reader moves on; see the type's remarks).</summary>
    public ReadOnlySequence<byte> Header { get; }

    /// <summary>
    /// The <c>op</c> field, or <see langword="null"/> when absent (as in replies). A name not in the reader's
    /// <see cref="FrameNames"/> comes escaped and cut as <see cref="UntrustedText.Escape"/> does, so it is safe to
    /// quote in a log or an error; a name without control characters and of at most
    /// <see cref="UntrustedText.MaxQuotedLength"/> characters comes as it was sent.
    /// </summary>
    public string? Op { get; }

    /// <summary>The <c>id</c> field, or <see langword="null"/> when absent.</summary>
    public long? Id { get; }

    /// <summary>What the frame is, from its <c>kind</c> field (<see cref="FrameKind.None"/> when absent).</summary>
    public FrameKind Kind { get; }

    /// <summary>The <c>kind</c> field as sent (escaped when unknown), or <see langword="null"/> when absent.</summary>
    public string? KindText { get; }

    /// <summary>The <c>credit</c> field of a <c>window</c> frame (at least 1), or <see langword="null"/> when absent.</summary>
    public long? Credit { get; }

    /// <summary>
    /// The <c>window</c> field of a request (at least 1): how many bytes of part bodies the client takes before it grants
    /// more; <see langword="null"/> when absent.
    /// </summary>
    public long? Window { get; }

    /// <summary>The <c>data_size</c> field: how many body bytes follow the header (0 when absent).</summary>
    public long DataSize { get; }

    /// <summary>
    /// Deserializes the whole header into <typeparamref name="T"/>. A field of the wrong type raises a
    /// <see cref="SockitProtocolException"/> with <see cref="SockitErrorCode.InvalidField"/>.
    /// </summary>
    public T Deserialize<T>(JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(Header);
        try
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo)
                ?? throw new SockitProtocolException(SockitErrorCode.HeaderNotObject, "the header is null", null, Id);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null or "$" ? string.Empty : $" at {UntrustedText.Escape(ex.Path)}";
            throw new SockitProtocolException(
                SockitErrorCode.InvalidField, $"a header field has the wrong type{where}", ex, Id);
        }
    }
}
