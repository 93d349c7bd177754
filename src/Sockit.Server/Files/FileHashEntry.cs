using Sockit.Server.Files.Jail;

namespace Sockit.Server.Files;

/// <summary>A file's SHA-256 and the state of the file it was computed for (see <see cref="FileHashCache"/>).</summary>
internal readonly record struct FileHashEntry(
    long Size, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds, string Sha256)
{
    /// <summary>Whether the file is still in the state the hash was computed for.</summary>
    public bool Matches(in FileStatus status) =>
        Size == (long)status.Size
        && ModifiedSeconds == status.ModifiedSeconds && ModifiedNanoseconds == status.ModifiedNanoseconds
        && ChangedSeconds == status.ChangedSeconds && ChangedNanoseconds == status.ChangedNanoseconds;
}
