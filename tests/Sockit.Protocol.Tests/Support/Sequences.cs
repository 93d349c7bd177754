using System.Buffers;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands them out.</summary>
internal static class Sequences
{
    /// <summary>A sequence made of the given pieces, one segment each (empty pieces included).</summary>
    public static ReadOnlySequence<byte> FromPieces(params byte[][] pieces)
    {
        if (pieces.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new SequenceSegment(pieces[0], 0);
        var last = first;
        foreach (var piece in pieces.Skip(1))
        {
            last = last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> into one-byte segments.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        FromPieces(data.Select(b => new[] { b }).ToArray());

    /// <summary>Splits <paramref name="data"/> into two segments at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int at) => FromPieces(data[..at], data[at..]);
}
