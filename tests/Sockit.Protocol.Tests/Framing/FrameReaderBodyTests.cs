using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public class FrameReaderBodyTests
{
    private static readonly byte[] EchoFrame = RawFrames.Frame("""{"op":"echo","id":1,"data_size":11}""", "hello world");
    private static readonly byte[] TimeFrame = RawFrames.Frame("""{"op":"time","id":2}""");

    private readonly Pipe _pipe = new();

    [Fact]
    public async Task TryReadBufferedBody_returns_the_whole_body_when_it_has_arrived()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(EchoFrame, TimeFrame));

        Assert.Equal(11, reader.BodyRemaining);
        Assert.True(reader.TryReadBufferedBody(out var body));

        Assert.Equal("hello world", Encoding.UTF8.GetString(body));
        Assert.Equal(0, reader.BodyRemaining);
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task TryReadBufferedBody_returns_false_and_consumes_nothing_when_the_body_is_incomplete()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^1]);

        Assert.False(reader.TryReadBufferedBody(out _));
        Assert.Equal(11, reader.BodyRemaining);

        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[^1..]);
        Assert.Equal("hello world", Encoding.UTF8.GetString(await ReadWholeBodyAsync(reader)));
    }

    [Fact]
    public async Task TryReadBufferedBody_of_an_empty_body_is_empty()
    {
        using var reader = await ReaderAtFirstHeadAsync(TimeFrame);

        Assert.True(reader.TryReadBufferedBody(out var body));
        Assert.True(body.IsEmpty);
    }

    [Fact]
    public async Task ReadBodyChunkAsync_returns_pieces_as_they_arrive_and_empty_at_the_end()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^6]);

        var first = await reader.ReadBodyChunkAsync().Bounded();
        Assert.Equal("hello", Encoding.UTF8.GetString(first));
        Assert.Equal(6, reader.BodyRemaining);

        var pending = reader.ReadBodyChunkAsync().AsTask();
        Assert.False(pending.IsCompleted);
        await _pipe.Writer.WriteAsync(RawFrames.Concat(EchoFrame[^6..], TimeFrame));

        Assert.Equal(" world", Encoding.UTF8.GetString(await pending.Bounded()));
        Assert.True((await reader.ReadBodyChunkAsync().Bounded()).IsEmpty);
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task ReadBodyChunkAsync_never_returns_bytes_of_the_next_frame()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(EchoFrame, TimeFrame));

        var chunk = await reader.ReadBodyChunkAsync().Bounded();

        Assert.Equal("hello world", Encoding.UTF8.GetString(chunk));
        Assert.True(reader.HasBufferedBytes);
    }

    [Fact]
    public async Task ReadBodyAsync_copies_into_a_small_buffer_and_stops_at_the_body_end()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(EchoFrame, TimeFrame));
        var buffer = new byte[4];
        var read = new List<string>();

        int count;
        while ((count = await reader.ReadBodyAsync(buffer).Bounded()) > 0)
        {
            read.Add(Encoding.UTF8.GetString(buffer, 0, count));
        }

        Assert.Equal(["hell", "o wo", "rld"], read);
        Assert.Equal(0, await reader.ReadBodyAsync(buffer).Bounded());
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task ReadBodyAsArrayAsync_reads_a_body_arriving_in_pieces()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^8]);

        var reading = reader.ReadBodyAsArrayAsync(11).AsTask();
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[^8..^4]);
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory()[^4..]);

        Assert.Equal("hello world", Encoding.UTF8.GetString(await reading.Bounded()));
    }

    [Fact]
    public async Task ReadBodyAsArrayAsync_checks_the_limit_before_waiting_for_or_allocating_the_body()
    {
        // Only the head has arrived and the announced body is huge: the limit must fail at once.
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Frame("""{"op":"echo","id":5,"data_size":1000000000000}"""));

        var ex = await Assert.ThrowsAsync<SockitProtocolException>(
            () => reader.ReadBodyAsArrayAsync(1024).Bounded());

        Assert.Equal(SockitErrorCode.BodyTooLarge, ex.Code);
        Assert.Contains("1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBodyAsArrayAsync_accepts_a_body_exactly_at_the_limit_and_rejects_one_byte_more()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(EchoFrame, EchoFrame));

        Assert.Equal("hello world", Encoding.UTF8.GetString(await reader.ReadBodyAsArrayAsync(11).Bounded()));
        await NextHeadAsync(reader);
        var ex = await Assert.ThrowsAsync<SockitProtocolException>(() => reader.ReadBodyAsArrayAsync(10).Bounded());
        Assert.Equal(SockitErrorCode.BodyTooLarge, ex.Code);
    }

    [Fact]
    public async Task ReadBodyAsArrayAsync_of_an_empty_body_is_empty()
    {
        using var reader = await ReaderAtFirstHeadAsync(TimeFrame);

        Assert.Empty(await reader.ReadBodyAsArrayAsync(0).Bounded());
    }

    [Fact]
    public async Task SkipBodyAsync_discards_the_body_even_when_it_arrives_later()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^5]);

        var skipping = reader.SkipBodyAsync().AsTask();
        Assert.False(skipping.IsCompleted);
        await _pipe.Writer.WriteAsync(RawFrames.Concat(EchoFrame[^5..], TimeFrame));
        await skipping.Bounded();

        Assert.Equal(0, reader.BodyRemaining);
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task An_unread_body_is_skipped_by_the_next_ReadHeadAsync()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^5]);

        var next = reader.ReadHeadAsync().AsTask();
        Assert.False(next.IsCompleted);
        await _pipe.Writer.WriteAsync(RawFrames.Concat(EchoFrame[^5..], TimeFrame));

        var head = await next.Bounded();
        Assert.Equal("time", head?.Op);
    }

    [Fact]
    public async Task A_partly_read_body_is_skipped_by_the_next_ReadHeadAsync()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(EchoFrame, TimeFrame));

        Assert.Equal(3, await reader.ReadBodyAsync(new byte[3]).Bounded());
        var head = await NextHeadAsync(reader);

        Assert.Equal("time", head.Op);
    }

    [Fact]
    public async Task A_body_made_of_a_whole_frame_is_not_mistaken_for_one()
    {
        byte[] inner = RawFrames.Frame("""{"op":"time","id":99}""");
        byte[] outer = RawFrames.Frame(
            Encoding.UTF8.GetBytes($$"""{"op":"echo","id":1,"data_size":{{inner.Length}}}"""), inner);
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(outer, TimeFrame));

        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task OpenBodyStream_reads_exactly_the_body()
    {
        using var reader = await ReaderAtFirstHeadAsync(RawFrames.Concat(
            RawFrames.Frame("""{"op":"echo","data_size":13}""", "你好, world"),
            TimeFrame));

        await using var stream = reader.OpenBodyStream();
        using var text = new StreamReader(stream, Encoding.UTF8);

        Assert.Equal("你好, world", await text.ReadToEndAsync().Bounded());
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task OpenBodyStream_copies_a_large_body_arriving_in_pieces()
    {
        byte[] body = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        byte[] frame = RawFrames.Frame(Encoding.UTF8.GetBytes($$"""{"op":"blob","data_size":{{body.Length}}}"""), body);
        using var reader = await ReaderAtFirstHeadAsync(frame[..100]);

        var writing = Task.Run(async () =>
        {
            for (int offset = 100; offset < frame.Length; offset += 4000)
            {
                await _pipe.Writer.WriteAsync(frame.AsMemory(offset, Math.Min(4000, frame.Length - offset)));
            }

            await _pipe.Writer.WriteAsync(TimeFrame);
        });
        await using var stream = reader.OpenBodyStream();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).Bounded();
        await writing.Bounded();

        Assert.Equal(body, copy.ToArray());
        Assert.Equal(2, (await NextHeadAsync(reader)).Id);
    }

    [Fact]
    public async Task OpenBodyStream_is_a_read_only_forward_only_async_stream()
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame);
        await using var stream = reader.OpenBodyStream();

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));

        var buffer = new byte[32];
#pragma warning disable CA1835 // The array overload is part of what is tested.
        Assert.Equal(11, await stream.ReadAsync(buffer, 0, buffer.Length).Bounded());
#pragma warning restore CA1835
        Assert.Equal(0, await stream.ReadAsync(buffer).Bounded());
    }

    public static TheoryData<string> BodyReaders => new()
    {
        "chunk", "copy", "array", "skip", "stream", "next head",
    };

    [Theory]
    [MemberData(nameof(BodyReaders))]
    public async Task End_of_stream_inside_a_body_is_truncated_frame(string how)
    {
        using var reader = await ReaderAtFirstHeadAsync(EchoFrame[..^4]);
        await _pipe.Writer.CompleteAsync();

        var ex = await Assert.ThrowsAsync<SockitProtocolException>(async () =>
        {
            switch (how)
            {
                case "chunk":
                    while (!(await reader.ReadBodyChunkAsync().Bounded()).IsEmpty)
                    {
                    }

                    break;
                case "copy":
                    while (await reader.ReadBodyAsync(new byte[100]).Bounded() > 0)
                    {
                    }

                    break;
                case "array":
                    await reader.ReadBodyAsArrayAsync(100).Bounded();
                    break;
                case "skip":
                    await reader.SkipBodyAsync().Bounded();
                    break;
                case "stream":
                    await reader.OpenBodyStream().CopyToAsync(Stream.Null);
                    break;
                default:
                    await reader.ReadHeadAsync().Bounded();
                    break;
            }
        }).Bounded();
        Assert.Equal(SockitErrorCode.TruncatedFrame, ex.Code);
    }

    private async Task<FrameReader> ReaderAtFirstHeadAsync(byte[] received)
    {
        await _pipe.Writer.WriteAsync(received);
        var reader = new FrameReader(_pipe.Reader);
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());
        return reader;
    }

    private static async Task<FrameHead> NextHeadAsync(FrameReader reader) =>
        await reader.ReadHeadAsync().Bounded()
            ?? throw new InvalidOperationException("expected another frame");

    private static async Task<byte[]> ReadWholeBodyAsync(FrameReader reader) =>
        await reader.ReadBodyAsArrayAsync(long.MaxValue).Bounded();
}
