using System.Buffers.Binary;
using System.Text;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Builds frames byte by byte, including ones no correct writer would produce.</summary>
public static class RawFrame
{
    public static byte[] Build(string header, byte[]? body = null) => Build(Encoding.UTF8.GetBytes(header), body);

    public static byte[] Build(byte[] header, byte[]? body = null) => Build(header.Length, header, body);

    /// <summary>A frame whose length prefix says <paramref name="announcedLength"/> whatever the header really is.</summary>
    public static byte[] Build(int announcedLength, byte[] header, byte[]? body = null)
    {
        body ??= [];
        var frame = new byte[4 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, announcedLength);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        return frame;
    }
}
