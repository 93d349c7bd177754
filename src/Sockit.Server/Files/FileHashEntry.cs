using Sockit.Server.Files.Jail;

namespace Sockit.Server.Files;

/// <summary>A file's SHA-256 and the version of the file it was computed for (see <see cref="FileHashCache"/>).</summary>
internal readonly record struct FileHashEntry(FileVersion Version, string Sha256)
{
    /// <summary>Whether the file is still in the version the hash was computed for.</summary>
    public bool Matches(in FileStatus status) => Version == FileVersion.Of(status);
}
