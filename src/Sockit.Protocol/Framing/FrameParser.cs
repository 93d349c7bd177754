using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Protocol.Framing;

/// <summary>
/// Parses frame heads out of a byte sequence. Pure: no I/O, no allocation beyond the <c>op</c> string of an
/// operation the protocol does not know.
/// </summary>
/// <remarks>
/// Text from the peer that an error message quotes, or that <see cref="FrameHead.Op"/> carries for an operation the
/// protocol does not know, is escaped with <see cref="UntrustedText"/> so it can be logged and sent back safely.
/// </remarks>
public static class FrameParser
{
    /// <summary>Size of the little-endian int32 that announces the header length.</summary>
    public const int PrefixLength = 4;

    /// <summary>
    /// Tries to parse one frame head at the start of <paramref name="buffer"/>. On success the buffer is
    /// sliced past the header, so it starts at the body. When more bytes are needed the buffer is unchanged.
    /// </summary>
    /// <exception cref="SockitProtocolException">The bytes can never become a valid frame head.</exception>
    public static bool TryParseHead(ref ReadOnlySequence<byte> buffer, FrameLimits limits, out FrameHead head) =>
        TryParseHead(ref buffer, limits, FrameNames.Empty, out head);

    /// <summary>
    /// As <see cref="TryParseHead(ref ReadOnlySequence{byte}, FrameLimits, out FrameHead)"/>, handing back the strings of
    /// <paramref name="names"/> for the <c>op</c> values it holds instead of decoding them anew.
    /// </summary>
    /// <exception cref="SockitProtocolException">The bytes can never become a valid frame head.</exception>
    public static bool TryParseHead(ref ReadOnlySequence<byte> buffer, FrameLimits limits, FrameNames names, out FrameHead head)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(names);
        head = default;
        if (buffer.Length < PrefixLength)
        {
            return false;
        }

        int headerLength = ReadPrefix(buffer);
        if (headerLength <= 0)
        {
            throw new SockitProtocolException(
                SockitErrorCode.InvalidHeaderLength,
                $"header length must be between 1 and {limits.MaxHeaderLength} bytes, got {headerLength}");
        }

        if (headerLength > limits.MaxHeaderLength)
        {
            throw new SockitProtocolException(
                SockitErrorCode.HeaderTooLarge,
                $"header length {headerLength} exceeds the limit of {limits.MaxHeaderLength} bytes");
        }

        if (buffer.Length - PrefixLength < headerLength)
        {
            return false;
        }

        var header = buffer.Slice(PrefixLength, headerLength);
        head = ParseHeader(header, limits, names);
        buffer = buffer.Slice(header.End);
        return true;
    }

    private static int ReadPrefix(ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= PrefixLength)
        {
            return BinaryPrimitives.ReadInt32LittleEndian(first);
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return BinaryPrimitives.ReadInt32LittleEndian(prefix);
    }

    private static FrameHead ParseHeader(ReadOnlySequence<byte> header, FrameLimits limits, FrameNames names)
    {
        // Utf8JsonReader checks UTF-8 only in strings it decodes, so a bad byte in any other string or field
        // name would slip through to whoever deserializes or logs the header later.
        if (!IsValidUtf8(header))
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidHeader, "the header is not valid UTF-8");
        }

        string? op = null;
        long? id = null;
        long dataSize = 0;
        FrameKind kind = FrameKind.None;
        string? kindText = null;
        long? credit = null;
        long? window = null;
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                // Only valid JSON is "not an object": broken JSON of any shape ("[[[[") is invalid_header.
                ReadToEnd(ref reader);
                throw new SockitProtocolException(SockitErrorCode.HeaderNotObject, "the header must be a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // A JSON null reads as an absent field: clients that serialise None/null for "not given" are fine.
                if (reader.ValueTextEquals("op"u8))
                {
                    reader.Read();
                    op = reader.TokenType == JsonTokenType.Null ? null : ReadOp(ref reader, names, id);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.Null ? null : ReadInteger(ref reader, "id", id);
                }
                else if (reader.ValueTextEquals("data_size"u8))
                {
                    reader.Read();
                    dataSize = reader.TokenType == JsonTokenType.Null ? 0 : ReadInteger(ref reader, "data_size", id);
                    if (dataSize < 0)
                    {
                        throw new SockitProtocolException(
                            SockitErrorCode.InvalidField, $"data_size must not be negative, got {dataSize}", null, id);
                    }
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    reader.Read();
                    (kind, kindText) = reader.TokenType == JsonTokenType.Null ? (FrameKind.None, null) : ReadKind(ref reader, id);
                }
                else if (reader.ValueTextEquals("credit"u8))
                {
                    reader.Read();
                    credit = reader.TokenType == JsonTokenType.Null ? null : ReadCount(ref reader, "credit", id);
                }
                else if (reader.ValueTextEquals("window"u8))
                {
                    reader.Read();
                    window = reader.TokenType == JsonTokenType.Null ? null : ReadCount(ref reader, "window", id);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Trailing garbage after the object is reported too.
            ReadToEnd(ref reader);
        }
        catch (JsonException ex)
        {
            throw new SockitProtocolException(
                SockitErrorCode.InvalidHeader,
                $"the header is not valid UTF-8 JSON: {UntrustedText.Escape(ex.Message, UntrustedText.MaxMessageLength)}",
                ex,
                id);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports invalid UTF-8 inside strings this way.
            throw new SockitProtocolException(
                SockitErrorCode.InvalidHeader, "the header is not valid UTF-8 JSON", ex, id);
        }

        if (dataSize > limits.MaxBodyLength)
        {
            throw new SockitProtocolException(
                SockitErrorCode.BodyTooLarge,
                $"data_size {dataSize} exceeds the limit of {limits.MaxBodyLength} bytes", null, id);
        }

        return new FrameHead(header, op, id, dataSize, kind, kindText, credit, window);
    }

    /// <summary>Drives the reader to the end of the header; throws <see cref="JsonException"/> for anything not JSON.</summary>
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    private static bool IsValidUtf8(ReadOnlySequence<byte> header)
    {
        if (header.IsSingleSegment)
        {
            return Utf8.IsValid(header.FirstSpan);
        }

        // A character may straddle two segments; the header is bounded by the limits, so validate a copy.
        int length = (int)header.Length;
        byte[] copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.CopyTo(copy);
            return Utf8.IsValid(copy.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static string ReadOp(ref Utf8JsonReader reader, FrameNames names, long? id)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidField, "op must be a string", null, id);
        }

        if (names.TryFind(ref reader, out var known))
        {
            return known;
        }

        // Unknown, so it can only be quoted back in an error (and logged): never as the peer wrote it.
        return UntrustedText.Escape(reader.GetString());
    }

    private static (FrameKind Kind, string Text) ReadKind(ref Utf8JsonReader reader, long? id)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidField, "kind must be a string", null, id);
        }

        foreach (var (text, kind) in KindNames)
        {
            if (reader.ValueTextEquals(text))
            {
                return (kind, text);
            }
        }

        return (FrameKind.Unknown, UntrustedText.Escape(reader.GetString()));
    }

    private static readonly (string Text, FrameKind Kind)[] KindNames =
    [
        ("part", FrameKind.Part),
        ("event", FrameKind.Event),
        ("probe", FrameKind.Probe),
        ("window", FrameKind.Window),
        ("input", FrameKind.Input),
        ("end", FrameKind.End),
        ("cancel", FrameKind.Cancel),
        ("control", FrameKind.Control),
    ];

    /// <summary>Reads a byte count that must be positive (<c>credit</c>, <c>window</c>).</summary>
    private static long ReadCount(ref Utf8JsonReader reader, string field, long? id)
    {
        long value = ReadInteger(ref reader, field, id);
        if (value <= 0)
        {
            throw new SockitProtocolException(SockitErrorCode.InvalidField, $"{field} must be at least 1, got {value}", null, id);
        }

        return value;
    }

    private static long ReadInteger(ref Utf8JsonReader reader, string field, long? id)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value))
        {
            throw new SockitProtocolException(
                SockitErrorCode.InvalidField, $"{field} must be an integer", null, id);
        }

        return value;
    }
}
