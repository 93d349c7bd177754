using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sockit.Protocol.Framing;

/// <summary>Writes frames: the 4-byte little-endian header length, the UTF-8 JSON header, then the body.</summary>
public static class FrameWriter
{
    // Non-ASCII text (file names, messages) stays readable on the wire; headers are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>
    /// Writes the length prefix and the JSON header. The caller writes exactly the <c>data_size</c> bytes the
    /// header announces afterwards.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public static int WriteHeader<T>(IBufferWriter<byte> output, T header, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(output);
        var json = Serialize(header, typeInfo);
        int total = FrameParser.PrefixLength + json.Length;
        var span = output.GetSpan(total);
        BinaryPrimitives.WriteInt32LittleEndian(span, json.Length);
        json.CopyTo(span[FrameParser.PrefixLength..]);
        output.Advance(total);
        return total;
    }

    /// <summary>Writes a whole frame whose body is already in memory.</summary>
    public static void WriteFrame<T>(IBufferWriter<byte> output, T header, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> body)
    {
        WriteHeader(output, header, typeInfo);
        if (!body.IsEmpty)
        {
            output.Write(body);
        }
    }

    /// <summary>Encodes a whole frame into a new array (for tests, tools and one-off sends).</summary>
    public static byte[] Encode<T>(T header, JsonTypeInfo<T> typeInfo, ReadOnlySpan<byte> body = default)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteFrame(buffer, header, typeInfo, body);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the UTF-8 JSON of a header. The span is valid until the next call on this thread.</summary>
    private static ReadOnlySpan<byte> Serialize<T>(T header, JsonTypeInfo<T> typeInfo)
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(scratch, WriterOptions);
        json.Reset(scratch);
        JsonSerializer.Serialize(json, header, typeInfo);
        return scratch.WrittenSpan;
    }
}
