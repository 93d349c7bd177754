using System.IO.Pipelines;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Pipes whose reader runs inside the writer's flush, so the reader sees each flush on its own.</summary>
/// <remarks>
/// The reader's async continuations only run inline on a thread without a synchronization context. xunit
/// installs one on test threads, so drive these pipes through <see cref="RunAsync"/>.
/// </remarks>
internal static class InlinePipe
{
    /// <summary>A pipe that never applies back-pressure and schedules nothing on other threads.</summary>
    public static Pipe Create() => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        useSynchronizationContext: false));

    /// <summary>Runs <paramref name="test"/> on a thread-pool thread, where continuations may run inline.</summary>
    public static Task RunAsync(Func<Task> test) => Task.Run(test);

    /// <summary>Runs <paramref name="test"/> on a thread-pool thread, where continuations may run inline.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> test) => Task.Run(test);

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
