using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public class FrameWriterTests
{
    private static readonly SockitJsonContext Json = SockitJsonContext.Default;

    [Fact]
    public void Encode_writes_the_little_endian_length_the_compact_json_header_and_the_body()
    {
        byte[] frame = FrameWriter.Encode(
            new EchoRequest { Id = 7, DataSize = 5, Upper = true }, Json.EchoRequest, "hello"u8);

        Assert.Equal(RawFrames.Frame("""{"op":"echo","id":7,"data_size":5,"upper":true}""", "hello"), frame);
    }

    [Fact]
    public void Absent_optional_fields_are_left_out()
    {
        byte[] frame = FrameWriter.Encode(new TimeRequest(), Json.TimeRequest);

        Assert.Equal(RawFrames.Frame("""{"op":"time"}"""), frame);
    }

    [Fact]
    public void Chinese_text_stays_readable_on_the_wire()
    {
        byte[] frame = FrameWriter.Encode(
            new ErrorReply { Id = 1, Error = "invalid_argument", Message = "文件不存在: 报告.txt" }, Json.ErrorReply);

        string header = Encoding.UTF8.GetString(frame.AsSpan(4));
        Assert.Contains("\"message\":\"文件不存在: 报告.txt\"", header, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", header, StringComparison.Ordinal);
        Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32LittleEndian(frame)); // bytes, not characters
    }

    [Fact]
    public void Html_characters_stay_readable_and_json_specials_are_escaped()
    {
        const string Message = "<b>Tom & Jerry's</b> \"quoted\" back\\slash\nnew line\ttab";

        byte[] frame = FrameWriter.Encode(new ErrorReply { Message = Message }, Json.ErrorReply);

        string header = Encoding.UTF8.GetString(frame.AsSpan(4));
        Assert.Contains("<b>Tom & Jerry's</b> \\\"quoted\\\" back\\\\slash\\nnew line\\ttab", header, StringComparison.Ordinal);
        Assert.Equal(Message, Parse(frame).Deserialize(Json.ErrorReply).Message);
    }

    [Fact]
    public void WriteHeader_returns_the_bytes_written_and_leaves_the_body_to_the_caller()
    {
        var output = new ArrayBufferWriter<byte>();

        int written = FrameWriter.WriteHeader(output, new EchoRequest { Id = 3, DataSize = 4 }, Json.EchoRequest);
        output.Write("body"u8);

        Assert.Equal(written + 4, output.WrittenCount);
        Assert.Equal(written - 4, BinaryPrimitives.ReadInt32LittleEndian(output.WrittenSpan));
        var head = Parse(output.WrittenSpan.ToArray(), out var body);
        Assert.Equal(3, head.Id);
        Assert.Equal("body", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void WriteFrame_with_an_empty_body_writes_only_the_header()
    {
        var output = new ArrayBufferWriter<byte>();

        FrameWriter.WriteFrame(output, new TimeRequest { Id = 1 }, Json.TimeRequest, ReadOnlySpan<byte>.Empty);

        Assert.Equal(RawFrames.Frame("""{"op":"time","id":1}"""), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_short_header_after_a_long_one_on_the_same_thread_is_not_polluted()
    {
        FrameWriter.Encode(new ErrorReply { Message = new string('x', 10_000) }, Json.ErrorReply);

        byte[] frame = FrameWriter.Encode(new TimeRequest { Id = 2 }, Json.TimeRequest);

        Assert.Equal(RawFrames.Frame("""{"op":"time","id":2}"""), frame);
    }

    [Fact]
    public void Encoding_on_many_threads_at_once_gives_each_its_own_frame()
    {
        var frames = new byte[2000][];

        Parallel.For(0, frames.Length, i =>
            frames[i] = FrameWriter.Encode(
                new EchoRequest { Id = i, DataSize = i % 10 }, Json.EchoRequest, new byte[i % 10]));

        for (int i = 0; i < frames.Length; i++)
        {
            var head = Parse(frames[i], out var body);
            Assert.Equal(i, head.Id);
            Assert.Equal(i % 10, body.Length);
        }
    }

    [Fact]
    public async Task Round_trips_through_a_pipe_and_the_reader()
    {
        var pipe = new Pipe();
        var hello = new HelloMessage
        {
            Server = "测试服务器",
            Version = "0.1.0",
            Ops = [Ops.Echo, Ops.Time],
            Auth = [],
            Nonce = "bm9uY2U=",
            MaxHeaderLength = FrameLimits.DefaultMaxHeaderLength,
        };
        FrameWriter.WriteHeader(pipe.Writer, hello, Json.HelloMessage);
        FrameWriter.WriteFrame(
            pipe.Writer, new EchoRequest { Id = 1, DataSize = 6, Upper = true }, Json.EchoRequest, "你好"u8);
        FrameWriter.WriteFrame(pipe.Writer, new TimeRequest { Id = 2, Format = "%Y年%m月%d日" }, Json.TimeRequest, []);
        FrameWriter.WriteFrame(
            pipe.Writer,
            new ErrorReply { Op = Ops.Time, Id = 2, Error = "invalid_format", Message = "格式无效" },
            Json.ErrorReply,
            []);
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        using var reader = new FrameReader(pipe.Reader);

        var helloHead = await NextAsync(reader);
        Assert.Equal(Ops.Hello, helloHead.Op);
        var helloBack = helloHead.Deserialize(Json.HelloMessage);
        Assert.Equal("测试服务器", helloBack.Server);
        Assert.Equal([Ops.Echo, Ops.Time], helloBack.Ops);
        Assert.Equal(ProtocolInfo.Version, helloBack.Protocol);
        Assert.Equal(FrameLimits.DefaultMaxHeaderLength, helloBack.MaxHeaderLength);

        var echoHead = await NextAsync(reader);
        Assert.Equal((Ops.Echo, (long?)1, 6L), (echoHead.Op, echoHead.Id, echoHead.DataSize));
        Assert.True(echoHead.Deserialize(Json.EchoRequest).Upper);
        Assert.Equal("你好", Encoding.UTF8.GetString(await reader.ReadBodyAsArrayAsync(6).Bounded()));

        var timeHead = await NextAsync(reader);
        Assert.Equal("%Y年%m月%d日", timeHead.Deserialize(Json.TimeRequest).Format);

        var errorHead = await NextAsync(reader);
        var status = errorHead.Deserialize(Json.ReplyStatus);
        Assert.False(status.Ok);
        Assert.Equal("invalid_format", status.Error);
        Assert.Equal("格式无效", status.Message);

        Assert.Null(await reader.ReadHeadAsync().Bounded());
    }

    [Fact]
    public void Rejects_a_null_output()
    {
        Assert.Throws<ArgumentNullException>(() => FrameWriter.WriteHeader(null!, new TimeRequest(), Json.TimeRequest));
    }

    private static FrameHead Parse(byte[] frame) => Parse(frame, out _);

    private static FrameHead Parse(byte[] frame, out ReadOnlySequence<byte> body)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.True(FrameParser.TryParseHead(ref buffer, FrameLimits.Default, out var head));
        Assert.Equal(head.DataSize, buffer.Length);
        body = buffer;
        return head;
    }

    private static async Task<FrameHead> NextAsync(FrameReader reader) =>
        await reader.ReadHeadAsync().Bounded()
            ?? throw new InvalidOperationException("expected another frame");
}
