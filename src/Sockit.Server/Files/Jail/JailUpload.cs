using Microsoft.Win32.SafeHandles;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// An upload in progress, from <see cref="HomeJail.OpenForUpload"/>: the hidden partial file, open for reading and
/// writing and locked against a second upload of the same target until <see cref="Partial"/> is disposed.
/// </summary>
/// <param name="Partial">The partial file. Write from <paramref name="ExistingLength"/> on to resume; dispose it after
/// <see cref="HomeJail.Commit"/> or to pause.</param>
/// <param name="ExistingLength">The bytes an earlier, interrupted upload left in the partial file; 0 for a new one.</param>
public readonly record struct JailUpload(SafeFileHandle Partial, long ExistingLength);
