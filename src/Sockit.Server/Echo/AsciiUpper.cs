namespace Sockit.Server.Echo;

/// <summary>
/// Upper-cases bytes the way the tutorials' servers do (<c>msg.upper()</c> on Python bytes): a-z become A-Z,
/// every other byte is left alone. It never changes the length, so a byte stream can be upper-cased piece
/// by piece and multi-byte UTF-8 characters pass through intact.
/// </summary>
internal static class AsciiUpper
{
    /// <summary>Upper-cases <paramref name="bytes"/> in place.</summary>
    public static void Apply(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b is >= (byte)'a' and <= (byte)'z')
            {
                bytes[i] = (byte)(b - ('a' - 'A'));
            }
        }
    }
}
