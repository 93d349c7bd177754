namespace Sockit.Server.Files.Jail;

/// <summary>What <see cref="HomeJail.Stat"/> and <see cref="HomeJail.List"/> tell about one name, never following a link.</summary>
/// <param name="Name">The name in its folder; empty for the home itself.</param>
/// <param name="Kind">File, folder, link or special file.</param>
/// <param name="Size">The size in bytes (for a link, the length of its target; for a folder, what the file system says).</param>
/// <param name="ModifiedUtc">When the content last changed.</param>
/// <param name="Mode">The permission bits, set-id and sticky bits included, without the file type.</param>
/// <param name="Inode">The inode number; with <paramref name="Device"/>, tells hard links to one file apart from copies.</param>
/// <param name="Device">The device the file is on, as <c>st_dev</c>.</param>
/// <param name="AllocatedBytes">The bytes it takes on disk: less than <paramref name="Size"/> for a sparse file.</param>
public readonly record struct JailEntry(
    string Name,
    JailEntryKind Kind,
    long Size,
    DateTimeOffset ModifiedUtc,
    UnixFileMode Mode,
    ulong Inode,
    ulong Device,
    long AllocatedBytes)
{
    private const int PermissionBits = 0xFFF;

    internal static JailEntry From(string name, in FileStatus status) => new(
        name,
        status.Kind,
        (long)status.Size,
        status.ModifiedUtc,
        (UnixFileMode)(status.Mode & PermissionBits),
        status.Inode,
        status.Device,
        status.AllocatedBytes);
}
