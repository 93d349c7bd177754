using System.Numerics;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// How large a connection's next receive buffer is. It starts at the smallest block; a receive that fills its buffer
/// doubles it, up to the largest, so a stream is read in large receives (one system call per 128 KiB rather than per
/// 4 KiB); a receive that fills less than half of it brings it back down to the size that would have held it, so a
/// slow or chatty connection goes back to small blocks.
/// </summary>
internal struct ReceiveSizer
{
    private int _next;

    /// <summary>The size to ask the pipe for next.</summary>
    public readonly int Next => _next == 0 ? PinnedBlockPool.SmallestBlock : _next;

    /// <summary>Learns from a receive of <paramref name="received"/> bytes into a buffer of <paramref name="bufferLength"/>.</summary>
    /// <returns>Whether the receive filled its buffer, so more data is likely waiting.</returns>
    public bool Record(int received, int bufferLength)
    {
        int next = Next;
        if (received >= bufferLength)
        {
            _next = Math.Min(next * 2, PinnedBlockPool.LargestBlock);
            return true;
        }

        if (received * 2 <= next)
        {
            _next = Math.Max(PinnedBlockPool.SmallestBlock, (int)Math.Min((uint)next, BitOperations.RoundUpToPowerOf2((uint)received)));
        }

        return false;
    }
}
