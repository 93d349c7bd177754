using Microsoft.Win32.SafeHandles;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// An upload in progress, from <see cref="HomeJail.OpenForUpload"/>: the hidden partial file, open for reading and
/// writing and locked against a second upload of the same target until the upload is disposed.
/// </summary>
/// <param name="Partial">The partial file. Write from <paramref name="ExistingLength"/> on to resume; dispose the
/// upload after <see cref="HomeJail.Commit"/> or to pause.</param>
/// <param name="ExistingLength">The bytes an earlier, interrupted upload left in the partial file; 0 for a new one.</param>
/// <param name="ReplacedLength">The disk space the file the upload replaces takes, freed once committed; 0 for none.</param>
public readonly record struct JailUpload(SafeFileHandle Partial, long ExistingLength, long ReplacedLength) : IDisposable
{
    /// <summary>
    /// Unlocks the partial, then closes it. Closing alone would leave the lock held while any copy of the descriptor
    /// lives, and a process being started at that moment (a command, on another thread) holds one until it runs its
    /// program: the partial would then look busy to the next upload of it or to its removal. Disposing twice is safe.
    /// </summary>
    public void Dispose()
    {
        if (!Partial.IsClosed)
        {
            _ = JailLibC.Flock(Partial, JailLibC.LOCK_UN);
        }

        Partial.Dispose();
    }
}
