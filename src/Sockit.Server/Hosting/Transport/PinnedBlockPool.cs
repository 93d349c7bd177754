using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// The memory a generation of connections reads and writes through: pinned arrays of 4 KiB to 128 KiB, in
/// power-of-two buckets. Unlike Kestrel's pool, whose blocks are all 4 KiB, a large receive or write gets one large
/// block; and unlike the shared array pool, it is bounded: each bucket keeps at most <see cref="KeptBytesPerSize"/>
/// of returned blocks and lets the rest go to the GC. <see cref="Dispose"/> drops what it keeps, so a retired
/// generation hands back a past burst; blocks rented from it afterwards still work, they are just not kept.
/// </summary>
internal sealed class PinnedBlockPool : MemoryPool<byte>
{
    /// <summary>The smallest block: what a pipe's segment is at least, and what a quiet connection receives into.</summary>
    public const int SmallestBlock = 4 * 1024;

    /// <summary>The largest pooled block; a larger request gets an array of its own.</summary>
    public const int LargestBlock = 128 * 1024;

    /// <summary>How many bytes of free blocks each size keeps for reuse.</summary>
    public const int KeptBytesPerSize = 16 * 1024 * 1024;

    private static readonly int Sizes = BitOperations.Log2(LargestBlock / SmallestBlock) + 1;

    private readonly ConcurrentQueue<PinnedBlock>[] _free = new ConcurrentQueue<PinnedBlock>[Sizes];
    private readonly int[] _freeCounts = new int[Sizes];
    private long _rentedBytes;
    private volatile bool _disposed;

    public PinnedBlockPool()
    {
        for (int i = 0; i < Sizes; i++)
        {
            _free[i] = new ConcurrentQueue<PinnedBlock>();
        }
    }

    public override int MaxBufferSize => LargestBlock;

    /// <summary>Bytes lent out and not returned yet (for tests and diagnostics).</summary>
    public long RentedBytes => Interlocked.Read(ref _rentedBytes);

    /// <summary>Bytes of free blocks kept for reuse.</summary>
    public long KeptBytes
    {
        get
        {
            long kept = 0;
            for (int i = 0; i < Sizes; i++)
            {
                kept += (long)Volatile.Read(ref _freeCounts[i]) * (SmallestBlock << i);
            }

            return kept;
        }
    }

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > LargestBlock)
        {
            return new PinnedBlock(null, GC.AllocateUninitializedArray<byte>(minBufferSize, pinned: true));
        }

        int bucket = BucketOf(minBufferSize);
        if (!_free[bucket].TryDequeue(out var block))
        {
            block = new PinnedBlock(this, GC.AllocateUninitializedArray<byte>(SmallestBlock << bucket, pinned: true));
        }
        else
        {
            Interlocked.Decrement(ref _freeCounts[bucket]);
        }

        Interlocked.Add(ref _rentedBytes, block.Array.Length);
        return block;
    }

    /// <summary>Takes a block back; keeps it unless its bucket is full or the pool is disposed.</summary>
    public void Return(PinnedBlock block)
    {
        Interlocked.Add(ref _rentedBytes, -block.Array.Length);
        if (_disposed)
        {
            return;
        }

        int bucket = BucketOf(block.Array.Length);
        if (Interlocked.Increment(ref _freeCounts[bucket]) * (long)block.Array.Length > KeptBytesPerSize)
        {
            Interlocked.Decrement(ref _freeCounts[bucket]);
            return;
        }

        _free[bucket].Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        for (int i = 0; i < Sizes; i++)
        {
            while (_free[i].TryDequeue(out _))
            {
                Interlocked.Decrement(ref _freeCounts[i]);
            }
        }
    }

    private static int BucketOf(int size) =>
        size <= SmallestBlock ? 0 : BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)size) / SmallestBlock);
}
