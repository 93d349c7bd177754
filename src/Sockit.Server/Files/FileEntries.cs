using System.Globalization;
using Sockit.Protocol.Files;
using Sockit.Server.Files.Jail;

namespace Sockit.Server.Files;

/// <summary>Entries as the protocol shows them.</summary>
internal static class FileEntries
{
    /// <summary>The wire form of <paramref name="entry"/>.</summary>
    public static FileEntry ToWire(JailEntry entry) => new()
    {
        Name = entry.Name,
        Type = entry.Kind switch
        {
            JailEntryKind.File => FileTypes.File,
            JailEntryKind.Folder => FileTypes.Folder,
            JailEntryKind.Link => FileTypes.Link,
            _ => FileTypes.Special,
        },
        Size = entry.Size,
        Mtime = Time(entry.ModifiedUtc),
        Mode = Convert.ToString((int)entry.Mode, 8).PadLeft(4, '0'),
    };

    /// <summary>A time as the protocol writes it: UTC, ISO 8601, milliseconds.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
