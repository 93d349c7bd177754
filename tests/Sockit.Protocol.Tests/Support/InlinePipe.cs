using System.IO.Pipelines;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Pipes whose reader runs inline inside the writer's flush, so each flush is seen on its own.</summary>
internal static class InlinePipe
{
    /// <summary>A pipe that never applies back-pressure and schedules nothing on other threads.</summary>
    public static Pipe Create() => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        useSynchronizationContext: false));

    /// <summary>Writes <paramref name="data"/> in pieces of the given sizes, flushing after each, then completes.</summary>
    public static async Task FeedAsync(PipeWriter writer, byte[] data, IEnumerable<int> pieceSizes)
    {
        int offset = 0;
        foreach (int size in pieceSizes)
        {
            await writer.WriteAsync(data.AsMemory(offset, size));
            offset += size;
        }

        await writer.WriteAsync(data.AsMemory(offset));
        await writer.CompleteAsync();
    }
}
