using System.IO.Pipelines;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Tests.Support;

namespace Sockit.Protocol.Tests.Framing;

public sealed class FrameReaderStopTests
{
    private static readonly byte[] EchoFrame = RawFrames.Frame("""{"op":"echo","id":1,"data_size":10}""", "0123456789");

    private readonly Pipe _pipe = new();

    [Fact]
    public async Task A_waiting_head_read_stops_when_asked()
    {
        using var reader = new FrameReader(_pipe.Reader);
        var waiting = reader.ReadHeadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        reader.StopAtFrameBoundary();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Bounded());
    }

    [Fact]
    public async Task Heads_already_buffered_are_still_returned_after_a_stop()
    {
        await _pipe.Writer.WriteAsync(EchoFrame.Concat(EchoFrame).ToArray());
        using var reader = new FrameReader(_pipe.Reader);
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());

        reader.StopAtFrameBoundary();
        await reader.SkipBodyAsync().Bounded();
        var second = await reader.ReadHeadAsync().Bounded();

        Assert.Equal(1, second?.Id);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadHeadAsync().AsTask().Bounded());
    }

    [Fact]
    public async Task The_body_in_progress_reads_to_its_end_after_a_stop()
    {
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory(0, EchoFrame.Length - 6));
        using var reader = new FrameReader(_pipe.Reader);
        Assert.NotNull(await reader.ReadHeadAsync().Bounded());
        var body = reader.ReadBodyAsArrayAsync(100).AsTask();

        reader.StopAtFrameBoundary();
        await _pipe.Writer.WriteAsync(EchoFrame.AsMemory(EchoFrame.Length - 6));

        Assert.Equal("0123456789"u8.ToArray(), await body.Bounded());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadHeadAsync().AsTask().Bounded());
    }
}
