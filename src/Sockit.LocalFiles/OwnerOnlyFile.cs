namespace Sockit.LocalFiles;

/// <summary>
/// Writes secret files (accounts, keys, saved logins) so that only their owner can ever read them: created with mode
/// 0600 in a folder created 0700, as a whole new file moved over the old one, so a crash never leaves half a file and
/// the secret is never readable by others, not even for a moment.
/// </summary>
public static class OwnerOnlyFile
{
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="directory"/> (owner-only) if it does not exist yet.</summary>
    public static void EnsureDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, DirectoryMode700);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes, flushed to disk first.</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Writes the whole content.</param>
    /// <param name="readableByOthers">
    /// Make the file 0644 instead of 0600: for the public half of a secret, such as a certificate beside its key.
    /// </param>
    public static void WriteAtomically(string path, Action<Stream> write, bool readableByOthers = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        EnsureDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = readableByOthers ? FileMode600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead : FileMode600;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Whether others (group or world) may read or write <paramref name="path"/>. Always <see langword="false"/> on
    /// Windows, where files in the user's profile are private by default.
    /// </summary>
    public static bool IsExposed(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
    }
}
