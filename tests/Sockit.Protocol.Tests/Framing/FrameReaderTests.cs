using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public class FrameReaderTests
{
    [Fact]
    public async Task Reads_a_head_and_its_body()
    {
        var frames = await ReadAllAsync(RawFrames.Frame("""{"op":"echo","id":9,"data_size":5}""", "hello"));

        var frame = Assert.Single(frames);
        Assert.Equal(
            new ReceivedFrame("echo", 9, 5, """{"op":"echo","id":9,"data_size":5}""", Convert.ToHexString("hello"u8)),
            frame);
    }

    [Fact]
    public async Task Reads_a_frame_encoded_like_the_python_tutorial()
    {
        // struct.pack("i", len(h)) + json.dumps(h).encode("utf-8") + body
        byte[] header = Encoding.ASCII.GetBytes(
            """{"op": "echo", "id": 1, "data_size": 6, "upper": true, "text": "\u4f60\u597d"}""");
        byte[] body = Encoding.UTF8.GetBytes("你好");
        byte[] frame = [(byte)header.Length, 0, 0, 0, .. header, .. body];

        var frames = await ReadAllAsync(frame);

        var received = Assert.Single(frames);
        Assert.Equal("echo", received.Op);
        Assert.Equal(1, received.Id);
        Assert.Equal(6, received.DataSize);
        Assert.Equal(Convert.ToHexString(body), received.BodyHex);
    }

    [Fact]
    public async Task Clean_end_of_stream_before_any_frame_returns_null()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();
        using var reader = new FrameReader(pipe.Reader);

        Assert.Null(await reader.ReadHeadAsync().Bounded());
        Assert.Null(await reader.ReadHeadAsync().Bounded());
    }

    [Fact]
    public async Task Clean_end_of_stream_between_frames_returns_null()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Frame("""{"op":"echo","data_size":3}""", "abc"));
        using var reader = new FrameReader(pipe.Reader);

        var head = await reader.ReadHeadAsync().Bounded();
        Assert.Equal("echo", head?.Op);
        Assert.Equal("abc", Encoding.UTF8.GetString(await reader.ReadBodyAsArrayAsync(100).Bounded()));
        var pending = reader.ReadHeadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        await pipe.Writer.CompleteAsync();

        Assert.Null(await pending.Bounded());
    }

    [Fact]
    public async Task Two_small_frames_arriving_in_one_read_are_both_parsed()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Concat(
            RawFrames.Frame("""{"op":"echo","id":1,"data_size":2}""", "hi"),
            RawFrames.Frame("""{"op":"time","id":2}""")));
        using var reader = new FrameReader(pipe.Reader);

        // The writer is not completed: the second head must come from the bytes already received.
        var first = await reader.ReadHeadAsync().Bounded();
        Assert.Equal(1, first?.Id);
        Assert.True(reader.HasBufferedBytes);
        Assert.True(reader.TryReadBufferedBody(out var body));
        Assert.Equal("hi", Encoding.UTF8.GetString(body));
        var second = await reader.ReadHeadAsync().Bounded();
        Assert.Equal(2, second?.Id);
        Assert.Equal("time", second?.Op);
        Assert.False(reader.HasBufferedBytes);
    }

    [Fact]
    public async Task One_large_frame_arriving_in_many_small_pieces_is_reassembled()
    {
        string name = string.Concat(Enumerable.Repeat("大文件-", 2000));
        byte[] body = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        string header = $$"""{"op":"upload","id":11,"name":"{{name}}","data_size":{{body.Length}}}""";
        byte[] frame = RawFrames.Frame(Encoding.UTF8.GetBytes(header), body);
        Assert.True(Encoding.UTF8.GetByteCount(header) > 4096 * 3);
        var frames = await FeedAsync(frame, Enumerable.Repeat(997, frame.Length / 997));

        Assert.Equal([new ReceivedFrame("upload", 11, body.Length, header, Convert.ToHexString(body))], frames);
    }

    [Fact]
    public async Task Every_frame_fed_one_byte_at_a_time_is_read_as_soon_as_its_last_byte_arrives()
    {
        byte[] stream = FrameSamples.Stream;
        var ends = FrameSamples.All.Select(sample => sample.Bytes.Length).ToArray();
        for (int i = 1; i < ends.Length; i++)
        {
            ends[i] += ends[i - 1];
        }

        await InlinePipe.RunAsync(async () =>
        {
            var pipe = InlinePipe.Create();
            using var reader = new FrameReader(pipe.Reader);
            var frames = new List<ReceivedFrame>();
            var reading = FrameCollector.ReadAllAsync(reader, frames);

            int complete = 0;
            for (int i = 0; i < stream.Length; i++)
            {
                await pipe.Writer.WriteAsync(stream.AsMemory(i, 1));
                if (complete < ends.Length && ends[complete] == i + 1)
                {
                    complete++;
                }

                // The inline pipe runs the reader inside each flush: a frame is delivered by the flush of its
                // last byte, never earlier and without waiting for more.
                Assert.Equal(complete, frames.Count);
                Assert.False(reading.IsCompleted);
            }

            await pipe.Writer.CompleteAsync();
            await reading.Bounded();
            Assert.Equal(FrameSamples.All.Select(sample => sample.Expected), frames);
        });
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public async Task Each_frame_fed_one_byte_at_a_time_gives_the_same_result(string name)
    {
        var sample = FrameSamples.Get(name);

        var frames = await FeedAsync(sample.Bytes, Enumerable.Repeat(1, sample.Bytes.Length));

        Assert.Equal([sample.Expected], frames);
    }

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public async Task Each_frame_split_into_two_writes_at_every_byte_gives_the_same_result(string name)
    {
        var sample = FrameSamples.Get(name);

        for (int at = 0; at <= sample.Bytes.Length; at++)
        {
            var frames = await FeedAsync(sample.Bytes, [at]);

            Assert.Equal([sample.Expected], frames);
        }
    }

    [Fact]
    public async Task Frames_written_concurrently_in_random_pieces_are_all_read()
    {
        byte[] stream = RawFrames.Concat([.. Enumerable.Repeat(FrameSamples.Stream, 20)]);
        var expected = Enumerable.Repeat(FrameSamples.All.Select(sample => sample.Expected), 20).SelectMany(x => x);
        var pipe = new Pipe();
        using var reader = new FrameReader(pipe.Reader);
        var frames = new List<ReceivedFrame>();

        var writing = Task.Run(async () =>
        {
            var random = new Random(1234);
            for (int offset = 0; offset < stream.Length;)
            {
                int size = Math.Min(random.Next(1, 300), stream.Length - offset);
                await pipe.Writer.WriteAsync(stream.AsMemory(offset, size));
                offset += size;
            }

            await pipe.Writer.CompleteAsync();
        });
        await FrameCollector.ReadAllAsync(reader, frames).Bounded();
        await writing.Bounded();

        Assert.Equal(expected, frames);
    }

    public static TheoryData<string, byte[], string> BadFrames => new()
    {
        { "negative length", RawFrames.Prefix(-1), "invalid_header_length" },
        { "zero length", RawFrames.Prefix(0), "invalid_header_length" },
        { "length above the limit", RawFrames.Prefix(FrameLimits.DefaultMaxHeaderLength + 1), "header_too_large" },
        { "not json", RawFrames.Frame("hello"), "invalid_header" },
        { "invalid utf-8", RawFrames.Frame([.. "{\"name\":\""u8, 0xC3, .. "\"}"u8]), "invalid_header" },
        { "array", RawFrames.Frame("[1,2]"), "header_not_object" },
        { "string", RawFrames.Frame("\"echo\""), "header_not_object" },
        { "number", RawFrames.Frame("12"), "header_not_object" },
        { "trailing garbage", RawFrames.Frame("{\"op\":\"echo\"}garbage"), "invalid_header" },
        { "op not a string", RawFrames.Frame("{\"op\":7}"), "invalid_field" },
        { "fractional id", RawFrames.Frame("{\"id\":1.5}"), "invalid_field" },
        { "string id", RawFrames.Frame("{\"id\":\"1\"}"), "invalid_field" },
        { "negative data_size", RawFrames.Frame("{\"data_size\":-3}"), "invalid_field" },
        { "string data_size", RawFrames.Frame("{\"data_size\":\"3\"}"), "invalid_field" },
        { "fractional data_size", RawFrames.Frame("{\"data_size\":0.5}"), "invalid_field" },
        { "data_size above the limit", RawFrames.Frame("{\"data_size\":1099511627777}"), "body_too_large" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Bad_frames_fail_with_their_code_without_waiting_for_more(string name, byte[] bytes, string code)
    {
        Assert.NotEmpty(name);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        using var reader = new FrameReader(pipe.Reader);

        // The writer stays open: the error must come from the bytes received so far.
        var ex = await Assert.ThrowsAsync<SockitProtocolException>(
            () => reader.ReadHeadAsync().Bounded());
        Assert.Equal(code, ex.Code.Value);
    }

    [Theory]
    [InlineData(FrameLimits.DefaultMaxHeaderLength + 1)]
    [InlineData(int.MaxValue)]
    public async Task Header_too_large_is_reported_as_soon_as_the_fourth_prefix_byte_arrives(int length)
    {
        byte[] prefix = RawFrames.Prefix(length);
        await InlinePipe.RunAsync(async () =>
        {
            var pipe = InlinePipe.Create();
            using var reader = new FrameReader(pipe.Reader);
            var reading = reader.ReadHeadAsync().AsTask();

            await pipe.Writer.WriteAsync(prefix.AsMemory(0, 3));
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(prefix.AsMemory(3, 1));

            Assert.True(reading.IsCompleted);
            var ex = await Assert.ThrowsAsync<SockitProtocolException>(() => reading);
            Assert.Equal(SockitErrorCode.HeaderTooLarge, ex.Code);
        });
    }

    [Fact]
    public async Task Custom_limits_apply()
    {
        var options = new FrameReaderOptions { Limits = new FrameLimits(MaxHeaderLength: 20, MaxBodyLength: 4) };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Concat(
            RawFrames.Frame("""{"data_size":4}""", "abcd"),
            RawFrames.Frame("""{"data_size":5}""", "abcde")));
        using var reader = new FrameReader(pipe.Reader, options);

        Assert.Equal(4, (await reader.ReadHeadAsync().Bounded())?.DataSize);
        var tooLarge = await Assert.ThrowsAsync<SockitProtocolException>(() => reader.ReadHeadAsync().Bounded());
        Assert.Equal(SockitErrorCode.BodyTooLarge, tooLarge.Code);

        var pipe2 = new Pipe();
        await pipe2.Writer.WriteAsync(RawFrames.Frame("""{"op":"echo","id":12345}"""));
        using var reader2 = new FrameReader(pipe2.Reader, options);
        var headerTooLarge = await Assert.ThrowsAsync<SockitProtocolException>(() => reader2.ReadHeadAsync().Bounded());
        Assert.Equal(SockitErrorCode.HeaderTooLarge, headerTooLarge.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(10)]
    public async Task End_of_stream_inside_a_head_is_truncated_frame(int length)
    {
        byte[] frame = RawFrames.Frame("""{"op":"echo","id":1}""");
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame.AsMemory(0, length));
        await pipe.Writer.CompleteAsync();
        using var reader = new FrameReader(pipe.Reader);

        var ex = await Assert.ThrowsAsync<SockitProtocolException>(
            () => reader.ReadHeadAsync().Bounded());
        Assert.Equal(SockitErrorCode.TruncatedFrame, ex.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task End_of_stream_inside_a_body_is_truncated_frame_for_the_next_head(int bodyBytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Frame("""{"op":"echo","data_size":10}""", "abc"[..bodyBytes]));
        using var reader = new FrameReader(pipe.Reader);

        var head = await reader.ReadHeadAsync().Bounded();
        Assert.Equal(10, head?.DataSize);
        var next = reader.ReadHeadAsync().AsTask();
        Assert.False(next.IsCompleted);
        await pipe.Writer.CompleteAsync();

        var ex = await Assert.ThrowsAsync<SockitProtocolException>(() => next.Bounded());
        Assert.Equal(SockitErrorCode.TruncatedFrame, ex.Code);
    }

    [Fact]
    public async Task End_of_stream_after_a_truncated_frame_with_more_bytes_buffered_is_still_an_error()
    {
        // A complete prefix and part of the header, then the peer closes: not a clean end.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Concat(RawFrames.Frame("{}"), RawFrames.Prefix(50), "{\"op\""u8.ToArray()));
        await pipe.Writer.CompleteAsync();
        using var reader = new FrameReader(pipe.Reader);

        Assert.NotNull(await reader.ReadHeadAsync().Bounded());
        var ex = await Assert.ThrowsAsync<SockitProtocolException>(() => reader.ReadHeadAsync().Bounded());
        Assert.Equal(SockitErrorCode.TruncatedFrame, ex.Code);
    }

    [Fact]
    public async Task Cancel_pending_read_gives_operation_canceled()
    {
        var pipe = new Pipe();
        using var reader = new FrameReader(pipe.Reader);
        var reading = reader.ReadHeadAsync().AsTask();
        Assert.False(reading.IsCompleted);

        pipe.Reader.CancelPendingRead();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.Bounded());
    }

    [Fact]
    public async Task Can_read_again_after_a_cancelled_read()
    {
        var pipe = new Pipe();
        using var reader = new FrameReader(pipe.Reader);
        using (var cts = new CancellationTokenSource())
        {
            var reading = reader.ReadHeadAsync(cts.Token).AsTask();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.Bounded());
        }

        await pipe.Writer.WriteAsync(RawFrames.Frame("""{"op":"time","id":3}"""));

        var head = await reader.ReadHeadAsync().Bounded();
        Assert.Equal(3, head?.Id);
    }

    [Fact]
    public async Task Header_stays_valid_until_the_next_call()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Frame("""{"op":"echo","id":1,"message":"你好"}"""));
        using var reader = new FrameReader(pipe.Reader);

        var head = (await reader.ReadHeadAsync().Bounded()).GetValueOrDefault();

        Assert.Equal("""{"op":"echo","id":1,"message":"你好"}""", Encoding.UTF8.GetString(head.Header));
        Assert.Equal(0, reader.BodyRemaining);
    }

    [Fact]
    public async Task Dispose_hands_unread_bytes_back_to_the_pipe()
    {
        byte[] second = RawFrames.Frame("""{"op":"time"}""");
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(RawFrames.Concat(RawFrames.Frame("""{"op":"hello"}"""), second));

        using (var reader = new FrameReader(pipe.Reader))
        {
            Assert.Equal("hello", (await reader.ReadHeadAsync().Bounded())?.Op);
        }

        var result = await pipe.Reader.ReadAsync().Bounded();
        Assert.Equal(second, result.Buffer.ToArray());
    }

    [Fact]
    public void Rejects_a_null_pipe()
    {
        Assert.Throws<ArgumentNullException>(() => new FrameReader(null!));
    }

    private static async Task<List<ReceivedFrame>> ReadAllAsync(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        using var reader = new FrameReader(pipe.Reader);
        var frames = new List<ReceivedFrame>();
        await FrameCollector.ReadAllAsync(reader, frames).Bounded();
        return frames;
    }

    private static Task<List<ReceivedFrame>> FeedAsync(byte[] bytes, IEnumerable<int> pieceSizes) =>
        InlinePipe.RunAsync(async () =>
        {
            var pipe = InlinePipe.Create();
            using var reader = new FrameReader(pipe.Reader);
            var frames = new List<ReceivedFrame>();
            var reading = FrameCollector.ReadAllAsync(reader, frames);
            await InlinePipe.FeedAsync(pipe.Writer, bytes, pieceSizes);
            await reading.Bounded();
            return frames;
        });
}
