using System.Text;
using Sockit.Protocol.Framing;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Drains a <see cref="FrameReader"/>, recording each frame as soon as its body is complete.</summary>
internal static class FrameCollector
{
    /// <summary>
    /// Reads frames until a clean end of stream, appending each to <paramref name="sink"/> the moment it is
    /// complete. The awaits do not capture the test's synchronization context, so with an inline pipe
    /// scheduler every flush runs the reader to its next wait before the writer continues.
    /// </summary>
    public static async Task ReadAllAsync(FrameReader reader, List<ReceivedFrame> sink)
    {
        while (await reader.ReadHeadAsync().ConfigureAwait(false) is { } head)
        {
            string header = Encoding.UTF8.GetString(head.Header);
            var body = new List<byte>();
            while (true)
            {
                var chunk = await reader.ReadBodyChunkAsync().ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    break;
                }

                foreach (var segment in chunk)
                {
                    body.AddRange(segment.Span);
                }
            }

            sink.Add(new ReceivedFrame(head.Op, head.Id, head.DataSize, header, Convert.ToHexString([.. body])));
        }
    }
}
