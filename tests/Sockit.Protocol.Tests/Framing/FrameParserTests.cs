using System.Buffers;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public class FrameParserTests
{
    private static readonly FrameLimits SmallLimits = new(MaxHeaderLength: 64, MaxBodyLength: 1000);

    [Fact]
    public void Parses_op_id_and_data_size_and_leaves_the_buffer_at_the_body()
    {
        var buffer = new ReadOnlySequence<byte>(
            RawFrames.Frame("""{"op":"echo","id":42,"data_size":5}""", "hello"));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal("echo", head.Op);
        Assert.Equal(42, head.Id);
        Assert.Equal(5, head.DataSize);
        Assert.Equal("""{"op":"echo","id":42,"data_size":5}""", Encoding.UTF8.GetString(head.Header));
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer));
    }

    [Fact]
    public void Absent_fields_are_null_and_data_size_defaults_to_zero()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"ok":true}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Null(head.Op);
        Assert.Null(head.Id);
        Assert.Equal(0, head.DataSize);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Parses_a_frame_encoded_like_the_python_tutorial()
    {
        // struct.pack("i", len(h)) + json.dumps(h).encode("utf-8") + body, with
        // h = {"op": "echo", "id": 1, "data_size": 5, "upper": True, "text": "你好"}:
        // json.dumps puts a space after ':' and ',' and escapes non-ASCII as \uXXXX.
        byte[] header = Encoding.ASCII.GetBytes(
            """{"op": "echo", "id": 1, "data_size": 5, "upper": true, "text": "\u4f60\u597d"}""");
        Assert.Equal(78, header.Length);
        byte[] frame = [0x4E, 0x00, 0x00, 0x00, .. header, .. "hello"u8];
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal("echo", head.Op);
        Assert.Equal(1, head.Id);
        Assert.Equal(5, head.DataSize);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer));
    }

    [Fact]
    public void Ops_in_the_readers_name_table_come_back_as_the_tables_strings()
    {
        var names = new FrameNames([Ops.Echo, Ops.Time]);
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"time"}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, names, out var head));

        Assert.Same(Ops.Time, head.Op);
    }

    [Fact]
    public void Ops_outside_the_table_are_decoded_anew()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"time"}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(Ops.Time, head.Op);
        Assert.NotSame(Ops.Time, head.Op);
    }

    [Theory]
    [InlineData("""{"kind":"part","id":1}""", FrameKind.Part)]
    [InlineData("""{"kind":"event"}""", FrameKind.Event)]
    [InlineData("""{"kind":"probe"}""", FrameKind.Probe)]
    [InlineData("""{"kind":"window","id":1,"credit":5}""", FrameKind.Window)]
    [InlineData("""{"kind":"input","id":1,"data_size":0}""", FrameKind.Input)]
    [InlineData("""{"kind":"end","id":1}""", FrameKind.End)]
    [InlineData("""{"kind":"cancel","id":1}""", FrameKind.Cancel)]
    [InlineData("""{"kind":"control","id":1,"rows":24,"cols":80}""", FrameKind.Control)]
    [InlineData("""{"kind":"later","id":1}""", FrameKind.Unknown)]
    [InlineData("""{"op":"echo","kind":null}""", FrameKind.None)]
    [InlineData("""{"op":"echo"}""", FrameKind.None)]
    public void Kind_is_read_from_every_header(string header, FrameKind expected)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame(header));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(expected, head.Kind);
    }

    [Fact]
    public void Credit_and_window_are_read_and_checked()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"kind":"window","id":7,"credit":65536,"window":131072}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(65536, head.Credit);
        Assert.Equal(131072, head.Window);
        Assert.Equal(7, head.Id);
    }

    [Theory]
    [InlineData("""{"kind":"window","id":1,"credit":0}""")]
    [InlineData("""{"kind":"window","id":1,"credit":-5}""")]
    [InlineData("""{"kind":"window","id":1,"credit":"5"}""")]
    [InlineData("""{"op":"echo","window":0}""")]
    [InlineData("""{"kind":5}""")]
    public void Bad_kind_credit_or_window_is_invalid_field(string header)
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame(header));

        var ex = Assert.Throws<SockitProtocolException>(() => FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out _));

        Assert.Equal(SockitErrorCode.InvalidField, ex.Code);
    }

    [Fact]
    public void An_unknown_kind_comes_back_escaped()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"kind":"x\u001b[31m","id":1}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(FrameKind.Unknown, head.Kind);
        Assert.DoesNotContain('\u001b', head.KindText!);
    }

    [Fact]
    public void Escaped_op_and_field_names_are_unescaped()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"\u006fp":"\u0065cho","i\u0064":3}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal("echo", head.Op);
        Assert.Equal(3, head.Id);
    }

    [Fact]
    public void Non_ascii_op_survives_whether_escaped_or_raw()
    {
        var raw = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"上传"}"""));
        var escaped = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"\u4e0a\u4f20"}"""));

        Assert.True(FrameParser.TryParseHead(ref raw, FrameLimits.Default, out var rawHead));
        Assert.True(FrameParser.TryParseHead(ref escaped, FrameLimits.Default, out var escapedHead));

        Assert.Equal("上传", rawHead.Op);
        Assert.Equal("上传", escapedHead.Op);
    }

    [Fact]
    public void An_unknown_op_with_control_characters_comes_escaped()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"\u001b[2J\rx"}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(@"\u001b[2J\u000dx", head.Op);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Needs_the_whole_prefix(int available)
    {
        byte[] frame = RawFrames.Frame("""{"op":"time"}""");
        var buffer = new ReadOnlySequence<byte>(frame, 0, available);

        Assert.False(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void Needs_the_whole_header_and_leaves_the_buffer_untouched()
    {
        byte[] frame = RawFrames.Frame("""{"op":"time"}""");
        for (int available = 4; available < frame.Length; available++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, available);
            var before = buffer;

            Assert.False(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out _));
            Assert.Equal(before, buffer);
        }
    }

    [Fact]
    public void Does_not_need_the_body()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"echo","data_size":1000000}"""));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal(1000000, head.DataSize);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Parses_two_frames_from_one_buffer()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Concat(
            RawFrames.Frame("""{"op":"echo","id":1,"data_size":2}""", "ab"),
            RawFrames.Frame("""{"op":"time","id":2}""")));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var first));
        Assert.Equal(1, first.Id);
        buffer = buffer.Slice(first.DataSize);
        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var second));
        Assert.Equal(2, second.Id);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void Gives_the_same_head_whatever_the_segmentation(string name)
    {
        var sample = FrameSamples.Get(name);
        var expected = ParseWhole(new ReadOnlySequence<byte>(sample.Bytes));
        Assert.Equal(sample.Expected with { BodyHex = "" }, expected);

        Assert.Equal(expected, ParseWhole(Sequences.OneBytePerSegment(sample.Bytes)));
        for (int at = 0; at <= sample.Bytes.Length; at++)
        {
            Assert.Equal(expected, ParseWhole(Sequences.SplitAt(sample.Bytes, at)));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    public void Zero_or_negative_header_length_is_invalid_header_length(int length)
    {
        AssertFails(SockitErrorCode.InvalidHeaderLength, RawFrames.Prefix(length));
    }

    [Fact]
    public void Header_length_above_the_limit_fails_from_the_prefix_alone()
    {
        AssertFails(SockitErrorCode.HeaderTooLarge, RawFrames.Prefix(65), SmallLimits);
        AssertFails(SockitErrorCode.HeaderTooLarge, RawFrames.Prefix(FrameLimits.DefaultMaxHeaderLength + 1));
        AssertFails(SockitErrorCode.HeaderTooLarge, RawFrames.Prefix(int.MaxValue));
    }

    [Fact]
    public void Header_length_equal_to_the_limit_is_accepted()
    {
        string header = "{\"op\":\"echo\"" + new string(' ', 64 - 13) + "}";
        Assert.Equal(64, Encoding.UTF8.GetByteCount(header));
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame(header));

        Assert.True(FrameParser.TryParseHead(ref buffer, SmallLimits, out var head));
        Assert.Equal("echo", head.Op);
    }

    [Fact]
    public void Prefix_split_across_segments_is_read_correctly()
    {
        byte[] frame = RawFrames.Frame("""{"op":"time"}""");
        var buffer = Sequences.FromPieces(frame[..1], [], frame[1..3], frame[3..]);

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
        Assert.Equal("time", head.Op);

        var negative = Sequences.FromPieces([0xFF, 0xFF], [0xFF], [0xFF]);
        var ex = Assert.Throws<SockitProtocolException>(
            () => FrameParser.TryParseHead(ref negative, FrameLimits.Default, out _));
        Assert.Equal(SockitErrorCode.InvalidHeaderLength, ex.Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("{\"op\":\"echo\"")]
    [InlineData("{op:\"echo\"}")]
    [InlineData("{\"op\":'echo'}")]
    [InlineData("{\"op\":\"echo\",}")]
    [InlineData("{\"a\":tru}")]
    [InlineData(" ")]
    [InlineData("{\"op\":\"echo\"} x")]
    [InlineData("{\"op\":\"echo\"}{}")]
    [InlineData("{}}")]
    [InlineData("{}\u0000")]
    [InlineData("{\"a\":\"line\nbreak\"}")]
    [InlineData("[[[[")]
    [InlineData("[1,2")]
    [InlineData("\"echo")]
    [InlineData("42 43")]
    [InlineData("[] x")]
    public void Malformed_json_is_invalid_header(string header)
    {
        AssertFails(SockitErrorCode.InvalidHeader, RawFrames.Frame(header));
    }

    [Fact]
    public void Deeply_nested_json_is_invalid_header()
    {
        string header = "{\"a\":" + new string('[', 100) + new string(']', 100) + "}";

        AssertFails(SockitErrorCode.InvalidHeader, RawFrames.Frame(header));
    }

    [Fact]
    public void An_array_nested_deeper_than_the_limit_is_invalid_header_not_header_not_object()
    {
        AssertFails(SockitErrorCode.InvalidHeader, RawFrames.Frame(new string('[', 100) + new string(']', 100)));
    }

    [Fact]
    public void Trailing_whitespace_after_the_object_is_fine()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("{\"op\":\"echo\"} \r\n\t"));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
        Assert.Equal("echo", head.Op);
    }

    public static TheoryData<string, byte[]> InvalidUtf8Headers => new()
    {
        { "lone continuation byte in op", [.. "{\"op\":\""u8, 0x80, .. "\"}"u8] },
        { "truncated sequence in op", [.. "{\"op\":\""u8, 0xE4, 0xB8, .. "\"}"u8] },
        { "invalid byte in another field", [.. "{\"op\":\"echo\",\"name\":\""u8, 0xFF, .. "\"}"u8] },
        { "overlong encoding in another field", [.. "{\"name\":\""u8, 0xC0, 0xAF, .. "\"}"u8] },
        { "encoded surrogate in another field", [.. "{\"name\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8] },
        { "invalid byte in a field name", [.. "{\""u8, 0xFE, .. "\":1}"u8] },
        { "invalid byte in a nested string", [.. "{\"meta\":[\""u8, 0xFF, .. "\"]}"u8] },
        { "latin-1 instead of utf-8", [.. "{\"op\":\"echo\",\"name\":\"caf"u8, 0xE9, .. "\"}"u8] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Headers))]
    public void Invalid_utf8_inside_a_string_is_invalid_header(string description, byte[] header)
    {
        Assert.NotEmpty(description);
        byte[] frame = RawFrames.Frame(header);
        AssertFails(SockitErrorCode.InvalidHeader, frame);

        // Split so that the bad sequence straddles segments, as it may when it arrives from a pipe.
        var buffer = Sequences.OneBytePerSegment(frame);
        var ex = Assert.Throws<SockitProtocolException>(
            () => FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out _));
        Assert.Equal(SockitErrorCode.InvalidHeader, ex.Code);
    }

    [Fact]
    public void Valid_multibyte_characters_split_across_segments_are_accepted()
    {
        byte[] frame = RawFrames.Frame("""{"op":"上传","name":"😀"}""");
        for (int at = 4; at <= frame.Length; at++)
        {
            var buffer = Sequences.SplitAt(frame, at);

            Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
            Assert.Equal("上传", head.Op);
        }
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"op\":\"echo\"}]")]
    [InlineData("\"echo\"")]
    [InlineData("42")]
    [InlineData("-1.5")]
    [InlineData("true")]
    [InlineData("null")]
    public void Json_that_is_not_an_object_is_header_not_object(string header)
    {
        AssertFails(SockitErrorCode.HeaderNotObject, RawFrames.Frame(header));
    }

    [Theory]
    [InlineData("{\"op\":1}")]
    [InlineData("{\"op\":[\"echo\"]}")]
    [InlineData("{\"op\":{\"name\":\"echo\"}}")]
    [InlineData("{\"op\":true}")]
    [InlineData("{\"id\":1.5}")]
    [InlineData("{\"id\":\"1\"}")]
    [InlineData("{\"id\":1e3}")]
    [InlineData("{\"id\":true}")]
    [InlineData("{\"id\":9223372036854775808}")]
    [InlineData("{\"data_size\":-1}")]
    [InlineData("{\"data_size\":\"5\"}")]
    [InlineData("{\"data_size\":2.5}")]
    [InlineData("{\"data_size\":5.0}")]
    [InlineData("{\"data_size\":[5]}")]
    [InlineData("{\"data_size\":99999999999999999999}")]
    public void Wrong_typed_known_fields_are_invalid_field(string header)
    {
        AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame(header));
    }

    [Fact]
    public void Null_known_fields_read_as_absent()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("{\"op\":null,\"id\":null,\"data_size\":null}"));

        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));

        Assert.Equal((null, null, 0L), (head.Op, head.Id, head.DataSize));
    }

    [Fact]
    public void Data_size_up_to_the_limit_is_accepted_and_above_is_body_too_large()
    {
        var atLimit = new ReadOnlySequence<byte>(RawFrames.Frame("""{"op":"echo","data_size":1000}"""));
        Assert.True(FrameParser.TryParseHead(ref atLimit, SmallLimits, out var head));
        Assert.Equal(1000, head.DataSize);

        AssertFails(SockitErrorCode.BodyTooLarge, RawFrames.Frame("""{"op":"echo","data_size":1001}"""), SmallLimits);
        AssertFails(
            SockitErrorCode.BodyTooLarge,
            RawFrames.Frame($$"""{"data_size":{{FrameLimits.DefaultMaxBodyLength + 1}}}"""));
    }

    [Fact]
    public void Errors_carry_the_request_id_once_it_has_been_read()
    {
        Assert.Equal(7, AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"id":7,"data_size":-1}""")).RequestId);
        Assert.Equal(7, AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"id":7,"op":5}""")).RequestId);
        Assert.Equal(7, AssertFails(SockitErrorCode.InvalidHeader, RawFrames.Frame("""{"id":7,"x":}""")).RequestId);
        Assert.Equal(
            7,
            AssertFails(SockitErrorCode.BodyTooLarge, RawFrames.Frame("""{"data_size":1001,"id":7}"""), SmallLimits)
                .RequestId);
        Assert.Null(AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"data_size":-1,"id":7}""")).RequestId);
    }

    [Fact]
    public void Error_messages_say_what_is_wrong()
    {
        Assert.Contains("-5", AssertFails(SockitErrorCode.InvalidHeaderLength, RawFrames.Prefix(-5)).Message);
        Assert.Contains("65", AssertFails(SockitErrorCode.HeaderTooLarge, RawFrames.Prefix(65), SmallLimits).Message);
        Assert.Contains(
            "data_size",
            AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"data_size":"x"}""")).Message);
        Assert.Contains("id", AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"id":"x"}""")).Message);
        Assert.Contains("op", AssertFails(SockitErrorCode.InvalidField, RawFrames.Frame("""{"op":2}""")).Message);
    }

    [Fact]
    public void Rejects_null_limits()
    {
        var buffer = new ReadOnlySequence<byte>(RawFrames.Frame("{}"));

        Assert.Throws<ArgumentNullException>(() => FrameParser.TryParseHead(ref buffer, null!, out _));
    }

    private static ReceivedFrame ParseWhole(ReadOnlySequence<byte> buffer)
    {
        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
        Assert.Equal(head.DataSize, buffer.Length);
        return new ReceivedFrame(head.Op, head.Id, head.DataSize, Encoding.UTF8.GetString(head.Header), "");
    }

    private static SockitProtocolException AssertFails(SockitErrorCode code, byte[] bytes, FrameLimits? limits = null)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var ex = Assert.Throws<SockitProtocolException>(
            () => FrameParser.TryParseHead(ref buffer, limits ?? FrameLimits.Default, out _));
        Assert.Equal(code, ex.Code);
        return ex;
    }
}
