namespace Sockit.Protocol.Files;

/// <summary>The values of <see cref="FileEntry.Type"/>.</summary>
public static class FileTypes
{
    /// <summary>A regular file.</summary>
    public const string File = "file";

    /// <summary>A folder.</summary>
    public const string Folder = "folder";

    /// <summary>A symbolic link; never followed.</summary>
    public const string Link = "link";

    /// <summary>A device, FIFO or socket; never opened.</summary>
    public const string Special = "special";
}
