using System.Buffers;

namespace Sockit.Server.Hosting.Transport;

/// <summary>One array of a <see cref="PinnedBlockPool"/>, lent out until disposed.</summary>
internal sealed class PinnedBlock : IMemoryOwner<byte>
{
    private readonly PinnedBlockPool? _pool;

    public PinnedBlock(PinnedBlockPool? pool, byte[] array)
    {
        _pool = pool;
        Array = array;
    }

    /// <summary>The block's array, allocated on the pinned object heap so the GC never has to move it under a send.</summary>
    public byte[] Array { get; }

    public Memory<byte> Memory => Array;

    /// <summary>Gives the block back to its pool, which keeps it or lets it go.</summary>
    public void Dispose() => _pool?.Return(this);
}
