using System.IO.Pipelines;

namespace Sockit.Benchmarks;

/// <summary>The pipe every round-trip benchmark writes into and reads back from.</summary>
internal static class BenchPipes
{
    /// <summary>
    /// Inline schedulers so no benchmark pays for a thread-pool hop, and no writer pause threshold so a 64 KiB
    /// frame can be flushed before the same thread reads it (the default threshold would wait for a reader).
    /// </summary>
    public static Pipe Create() => new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        useSynchronizationContext: false));

    /// <summary>A body of <paramref name="size"/> bytes with a fixed, non-zero pattern.</summary>
    public static byte[] Body(int size)
    {
        var body = new byte[size];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return body;
    }
}
