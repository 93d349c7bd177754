using System.Buffers;

namespace Sockit.Server.Sessions.Internal;

/// <summary>A rented buffer of a request's input: filled at its end by the loop, emptied from its start by the operation.</summary>
internal sealed class InputBlock(int length)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(length);
    private int _start;
    private int _end;

    public bool IsFull => _end == _buffer.Length;

    public bool IsEmpty => _start == _end;

    /// <summary>Copies as much of <paramref name="chunk"/> as fits; returns how much.</summary>
    public int Append(ReadOnlySequence<byte> chunk)
    {
        int count = (int)Math.Min(chunk.Length, _buffer.Length - _end);
        chunk.Slice(0, count).CopyTo(_buffer.AsSpan(_end));
        _end += count;
        return count;
    }

    /// <summary>Copies out as much as <paramref name="destination"/> holds; returns how much.</summary>
    public int Take(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    /// <summary>Gives the buffer back to the pool; the block is unusable afterwards.</summary>
    public void Return()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }
}
