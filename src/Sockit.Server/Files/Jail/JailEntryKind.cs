namespace Sockit.Server.Files.Jail;

/// <summary>What a name in a home is.</summary>
public enum JailEntryKind
{
    /// <summary>A regular file: the only kind that can be read or uploaded.</summary>
    File,

    /// <summary>A folder.</summary>
    Folder,

    /// <summary>
    /// A symbolic link, reported as itself and never followed: reading, listing or walking through it is refused
    /// with <c>outside_home</c>, while deleting or moving it acts on the link alone.
    /// </summary>
    Link,

    /// <summary>A device, a FIFO or a socket: listed, never opened; reading one is refused with <c>special_file</c>.</summary>
    Special,
}
