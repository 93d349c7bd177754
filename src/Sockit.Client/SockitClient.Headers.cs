using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sockit.Client.Connection;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;

namespace Sockit.Client;

// Headers: serialized straight into the output pipe's memory (no array per frame), and checked before they count.
public sealed partial class SockitClient
{
    // Memory asked of the pipe for a header: more than nearly every header needs, so one serialization is the rule.
    private const int HeaderSpaceHint = 1024;

    // Room kept after a streamed request's JSON for the ,"window":N} the client adds.
    private const int WindowFieldReserve = 32;

    // Only used to read back the fields of a header this client encoded itself.
    private static readonly FrameLimits UncheckedLimits = new(int.MaxValue, long.MaxValue);

    // As the protocol's FrameWriter: non-ASCII text stays readable on the wire; headers are never embedded in HTML.
    private static readonly JsonWriterOptions HeaderWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HeaderSpace _headerSpace = new();
    private Utf8JsonWriter? _json;

    /// <summary>
    /// Serializes a request's header into the output, checks it and adds the output window; returns the frame's length
    /// so far (prefix and header), not yet committed to the pipe.
    /// </summary>
    private int EncodeRequestHeader<TRequest>(TRequest header, JsonTypeInfo<TRequest> typeInfo, long id, long bodyLength, long? window)
    {
        var (frame, length) = SerializeHeader(header, typeInfo, window is null ? 0 : WindowFieldReserve);
        var sequence = new ReadOnlySequence<byte>(frame[..length]);
        FrameHead head;
        try
        {
            FrameParser.TryParseHead(ref sequence, UncheckedLimits, ReplyNames, out head);
        }
        catch (SockitProtocolException ex)
        {
            throw new ArgumentException($"the request header is not a valid frame header: {ex.Message}", nameof(header), ex);
        }

        if (head.Op is null)
        {
            throw new ArgumentException("the request header has no op", nameof(header));
        }

        if (head.Id != id)
        {
            throw new ArgumentException($"the request header must carry the id {id} it was created with", nameof(header));
        }

        if (head.DataSize != bodyLength)
        {
            throw new ArgumentException(
                $"the request header announces data_size {head.DataSize} but the body has {bodyLength} bytes", nameof(header));
        }

        if (head.Kind != FrameKind.None)
        {
            throw new ArgumentException($"a request header has no kind; this one says '{head.KindText}'", nameof(header));
        }

        if (window is { } wanted)
        {
            if (head.Window is not null)
            {
                throw new ArgumentException("a streamed call's window is set by SockitCallOptions.OutputWindow, not in its header", nameof(header));
            }

            length = AppendWindow(frame.Span, length, wanted);
        }
        else if (head.Window is not null)
        {
            throw new ArgumentException("a request with a window is a streamed call: start it with StartAsync", nameof(header));
        }

        int headerLength = length - FrameParser.PrefixLength;
        return headerLength > HeaderLimit ? throw HeaderTooLarge(headerLength) : length;
    }

    private SockitException HeaderTooLarge(int headerLength) =>
        new(SockitErrorCode.HeaderTooLarge, $"the request header is {headerLength} bytes; {Peer} accepts at most {HeaderLimit}");

    /// <summary>Turns the closing <c>}</c> of the header in <paramref name="frame"/> into <c>,"window":N}</c>.</summary>
    private static int AppendWindow(Span<byte> frame, int length, long window)
    {
        int at = length - 1;
        ",\"window\":"u8.CopyTo(frame[at..]);
        at += 10;
        window.TryFormat(frame[at..], out int digits, provider: CultureInfo.InvariantCulture);
        at += digits;
        frame[at++] = (byte)'}';
        BinaryPrimitives.WriteInt32LittleEndian(frame, at - FrameParser.PrefixLength);
        return at;
    }

    private int HeaderLimit => Hello.MaxHeaderLength > 0 ? Hello.MaxHeaderLength : Options.FrameLimits.MaxHeaderLength;

    /// <summary>
    /// Serializes <paramref name="header"/> with its length prefix into memory from the output pipe, keeping
    /// <paramref name="reserve"/> bytes free after it. Returns that memory and the frame's length; nothing is committed
    /// until the caller advances the pipe, so a header refused now leaves no trace.
    /// </summary>
    private (Memory<byte> Frame, int Length) SerializeHeader<T>(T header, JsonTypeInfo<T> typeInfo, int reserve)
    {
        var frame = _output.GetMemory(HeaderSpaceHint + reserve);
        Serialize(frame);
        if (_headerSpace.Spilled)
        {
            if (_headerSpace.Length > HeaderLimit)
            {
                throw HeaderTooLarge(_headerSpace.Length);
            }

            // Rare: a header larger than the hint. Now that its size is known, ask for enough and write it again.
            frame = _output.GetMemory(FrameParser.PrefixLength + _headerSpace.Needed + reserve);
            Serialize(frame);
            if (_headerSpace.Spilled)
            {
                throw new InvalidOperationException("the output gave less memory than asked for a header");
            }
        }

        BinaryPrimitives.WriteInt32LittleEndian(frame.Span, _headerSpace.Length);
        return (frame, FrameParser.PrefixLength + _headerSpace.Length);

        void Serialize(Memory<byte> target)
        {
            _headerSpace.Reset(target[FrameParser.PrefixLength..], reserve, HeaderLimit);
            var json = _json ??= new Utf8JsonWriter(_headerSpace, HeaderWriterOptions);
            json.Reset(_headerSpace);
            JsonSerializer.Serialize(json, header, typeInfo);
            json.Flush();
        }
    }
}
