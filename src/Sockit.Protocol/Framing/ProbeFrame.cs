using System.Buffers.Binary;
using System.Text;

namespace Sockit.Protocol.Framing;

/// <summary>The whole <c>probe</c> frame (<see cref="FrameKind.Probe"/>): its length prefix and its header, no body.</summary>
public static class ProbeFrame
{
    private static readonly byte[] Frame = Encode();

    /// <summary>The frame's bytes, ready to send.</summary>
    public static ReadOnlySpan<byte> Bytes => Frame;

    private static byte[] Encode()
    {
        var header = Encoding.UTF8.GetBytes("""{"kind":"probe"}""");
        var frame = new byte[FrameParser.PrefixLength + header.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, header.Length);
        header.CopyTo(frame, FrameParser.PrefixLength);
        return frame;
    }
}
