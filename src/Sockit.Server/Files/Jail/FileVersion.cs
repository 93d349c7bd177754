namespace Sockit.Server.Files.Jail;

/// <summary>
/// What tells one version of a file's content from another: its size, modification time and change time. The kernel
/// moves the change time on every write, truncation, rename and time change, so two equal versions mean the bytes
/// were not touched in between, even by someone who put the modification time back.
/// </summary>
internal readonly record struct FileVersion(long Size, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    /// <summary>The version <paramref name="status"/> describes.</summary>
    public static FileVersion Of(in FileStatus status) =>
        new((long)status.Size, status.ModifiedSeconds, status.ModifiedNanoseconds, status.ChangedSeconds, status.ChangedNanoseconds);
}
