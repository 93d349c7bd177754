namespace Sockit.Protocol.Files;

/// <summary>An entry of a folder as <c>ls</c> and <c>stat</c> show it.</summary>
public sealed class FileEntry
{
    /// <summary>The name, byte for byte as stored (never normalised).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>file</c>, <c>folder</c>, <c>link</c> or <c>special</c> (see <see cref="FileTypes"/>).</summary>
    public string Type { get; set; } = FileTypes.File;

    /// <summary>Size in bytes (64-bit).</summary>
    public long Size { get; set; }

    /// <summary>Last modification, UTC, ISO 8601 with milliseconds.</summary>
    public string Mtime { get; set; } = "";

    /// <summary>Permission bits in octal, e.g. <c>0644</c>.</summary>
    public string Mode { get; set; } = "";
}
