using System.Buffers;

namespace Sockit.Client.Connection;

/// <summary>A part waiting in its call's queue: its header and body copied into one pooled array.</summary>
internal readonly record struct QueuedPart(byte[] Buffer, int HeaderLength, int BodyLength, string? Op)
{
    public SockitPart ToPart() =>
        new(Op, Buffer.AsMemory(0, HeaderLength), Buffer.AsMemory(HeaderLength, BodyLength));

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
