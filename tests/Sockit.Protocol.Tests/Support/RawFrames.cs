using System.Buffers.Binary;
using System.Text;

namespace Sockit.Protocol.Tests.Support;

/// <summary>Builds frame bytes by hand, independently of <c>FrameWriter</c>, the way another client would.</summary>
internal static class RawFrames
{
    /// <summary>The 4-byte little-endian length prefix (Python's <c>struct.pack("i", n)</c> on x86/ARM).</summary>
    public static byte[] Prefix(int headerLength)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, headerLength);
        return prefix;
    }

    /// <summary>A frame whose header is <paramref name="headerJson"/> encoded as UTF-8.</summary>
    public static byte[] Frame(string headerJson, string body = "") =>
        Frame(Encoding.UTF8.GetBytes(headerJson), Encoding.UTF8.GetBytes(body));

    /// <summary>A frame with a raw header (possibly invalid UTF-8) and a raw body.</summary>
    public static byte[] Frame(byte[] header, byte[]? body = null) =>
        Concat(Prefix(header.Length), header, body ?? []);

    /// <summary>Joins byte arrays.</summary>
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();
}
