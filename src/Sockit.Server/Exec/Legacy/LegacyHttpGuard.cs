namespace Sockit.Server.Exec.Legacy;

/// <summary>
/// Tells an HTTP request from a command. Any web page can make a browser send an HTTP request, with a body of the page's
/// choosing, to any port on the machine's loopback; taken as a command, every line of it would run in the shell. Redis's
/// protected mode refuses the same cross-protocol requests the same way: by the request line and the <c>Host:</c> header.
/// </summary>
internal static class LegacyHttpGuard
{
    /// <summary>
    /// Whether <paramref name="received"/> reads as an HTTP request: a first line <c>METHOD TARGET HTTP/1.1</c> (or 1.0),
    /// or a line that starts with <c>Host:</c>. Neither is a command a shell could run.
    /// </summary>
    public static bool LooksLikeHttp(ReadOnlySpan<byte> received)
    {
        bool first = true;
        while (!received.IsEmpty)
        {
            int end = received.IndexOf((byte)'\n');
            var line = end < 0 ? received : received[..end];
            received = end < 0 ? [] : received[(end + 1)..];
            line = line.TrimEnd((byte)'\r');
            if ((first && IsRequestLine(line)) || (line.Length >= 5 && System.Text.Ascii.EqualsIgnoreCase(line[..5], "host:"u8)))
            {
                return true;
            }

            first = false;
        }

        return false;
    }

    // METHOD SP TARGET SP HTTP/1.x, the method in capitals: so "grep HTTP/1.1" in a pipeline is still a command.
    private static bool IsRequestLine(ReadOnlySpan<byte> line)
    {
        if (!line.EndsWith(" HTTP/1.1"u8) && !line.EndsWith(" HTTP/1.0"u8))
        {
            return false;
        }

        var rest = line[..^" HTTP/1.1".Length];
        int space = rest.IndexOf((byte)' ');
        if (space <= 0)
        {
            return false;
        }

        var method = rest[..space];
        var target = rest[(space + 1)..];
        return !method.ContainsAnyExceptInRange((byte)'A', (byte)'Z') && target.Length > 0 && !target.Contains((byte)' ');
    }
}
