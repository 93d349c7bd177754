using System.Globalization;
using System.Text;
using Sockit.Protocol.Files;
using Sockit.Protocol.Text;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// How remote entries, sizes and names are shown. Names come from the server, so every control character in them is
/// escaped: a hostile server must not be able to write terminal escapes through a file name.
/// </summary>
internal static class EntryFormat
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary><paramref name="name"/> with control characters (ESC, newlines, bidirectional overrides) escaped, never cut.</summary>
    public static string Name(string name) => UntrustedText.Escape(name, int.MaxValue);

    /// <summary>One line of <c>ls -l</c>: mode, size, modification time (local) and name.</summary>
    public static string LongLine(FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Mode(entry)} {entry.Size,12} {Time(entry.Mtime)} {Name(entry.Name)}");
    }

    /// <summary><c>ls -l</c>'s mode column: <c>drwxr-xr-x</c> from the type and the octal bits (<c>0755</c>).</summary>
    public static string Mode(FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder(10);
        text.Append(entry.Type switch
        {
            FileTypes.Folder => 'd',
            FileTypes.Link => 'l',
            FileTypes.File => '-',
            _ => '?',
        });
        int bits = 0;
        foreach (char digit in entry.Mode)
        {
            // A mode the server spells oddly shows as no permissions rather than failing the listing.
            bits = digit is >= '0' and <= '7' ? (bits * 8) + (digit - '0') : 0;
        }

        const string letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
        {
            text.Append((bits & (1 << (8 - i))) != 0 ? letters[i] : '-');
        }

        return text.ToString();
    }

    /// <summary>A server's ISO 8601 time as local <c>yyyy-MM-dd HH:mm</c>; what does not parse is shown escaped.</summary>
    public static string Time(string mtime) =>
        DateTimeOffset.TryParse(mtime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : Name(mtime).PadRight(16);

    /// <summary>A size for people: <c>512 B</c>, <c>1.5 KiB</c>, <c>3.2 GiB</c>.</summary>
    public static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    /// <summary><c>stat</c>'s lines: one field a line.</summary>
    public static IEnumerable<string> StatLines(string path, FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        yield return $"path:  {Name(path)}";
        yield return $"type:  {Name(entry.Type)}";
        yield return string.Create(CultureInfo.InvariantCulture, $"size:  {entry.Size} ({Size(entry.Size)})");
        yield return $"mtime: {Name(entry.Mtime)}";
        yield return $"mode:  {Name(entry.Mode)} ({Mode(entry)})";
    }

    /// <summary><c>df</c>'s line: how much the home uses, of what quota, and what is left.</summary>
    public static string DiskUsage(DiskUsageReply usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return usage.Quota is { } quota
            ? $"used {Size(usage.Used)} of {Size(quota)} ({Size(usage.Free ?? Math.Max(0, quota - usage.Used))} free)"
            : $"used {Size(usage.Used)} (no quota)";
    }
}
