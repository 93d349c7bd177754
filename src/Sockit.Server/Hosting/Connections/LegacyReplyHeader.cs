using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// The tutorials' custom header in front of a reply's body (a command's output, or what a legacy listener has to say):
/// <c>struct.pack("i", len(head_data))</c>, then <c>head_data</c>, the JSON <c>{"data_size": N}</c> as Python's
/// <c>json.dumps</c> writes it.
/// </summary>
internal static class LegacyReplyHeader
{
    /// <summary>The length prefix and the JSON header for a body of <paramref name="dataSize"/> bytes.</summary>
    /// <remarks>
    /// <c>struct.pack("i")</c> packs in the machine's own byte order; the tutorials' machines (x86, ARM) are
    /// little-endian, so this always writes little-endian, whatever the server runs on.
    /// </remarks>
    public static byte[] For(long dataSize)
    {
        var json = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"data_size\": {dataSize}}}"));
        var header = new byte[sizeof(int) + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(header, json.Length);
        json.CopyTo(header, sizeof(int));
        return header;
    }
}
