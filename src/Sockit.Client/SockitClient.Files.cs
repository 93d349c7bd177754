using System.Runtime.CompilerServices;
using Sockit.Protocol.Files;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

// The file service's one-reply operations; transfers are in SockitClient.Transfers.cs. Paths are relative to the
// user's home on the server (see RemotePath).
public sealed partial class SockitClient
{
    /// <summary>The entries of a remote folder in name order, streamed as the server lists them (or one file's entry).</summary>
    public async IAsyncEnumerable<FileEntry> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await using var call = await StartAsync(
            id => new ListRequest { Id = id, Path = path },
            FilesJsonContext.Default.ListRequest,
            FilesJsonContext.Default.ListReply,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await foreach (var part in call.Frames.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in part.Deserialize(FilesJsonContext.Default.ListPart).Entries)
            {
                yield return entry;
            }
        }

        await (await call.GetReplyAsync().ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Describes one remote file or folder.</summary>
    public async Task<FileEntry> StatAsync(string path, CancellationToken cancellationToken = default) =>
        (await RequestAsync(
            id => new PathRequest { Op = Ops.Stat, Id = id, Path = path },
            FilesJsonContext.Default.PathRequest,
            FilesJsonContext.Default.StatReply,
            cancellationToken).ConfigureAwait(false)).Entry;

    /// <summary>Creates a remote folder; with <paramref name="parents"/> its missing parents too, and an existing folder is fine.</summary>
    public Task CreateFolderAsync(string path, bool parents = false, CancellationToken cancellationToken = default) =>
        RequestAsync(
            id => new PathRequest { Op = Ops.Mkdir, Id = id, Path = path, Parents = parents },
            FilesJsonContext.Default.PathRequest,
            FilesJsonContext.Default.FileReply,
            cancellationToken);

    /// <summary>Removes a remote file, or a folder and everything in it with <paramref name="recursive"/>; returns how many entries went.</summary>
    public async Task<long> RemoveAsync(string path, bool recursive = false, CancellationToken cancellationToken = default) =>
        (await RequestAsync(
            id => new PathRequest { Op = Ops.Rm, Id = id, Path = path, Recursive = recursive },
            FilesJsonContext.Default.PathRequest,
            FilesJsonContext.Default.FileReply,
            cancellationToken).ConfigureAwait(false)).Removed ?? 0;

    /// <summary>Renames or moves a remote file or folder; an existing target only with <paramref name="overwrite"/>.</summary>
    public Task MoveAsync(string from, string to, bool overwrite = false, CancellationToken cancellationToken = default) =>
        RequestAsync(
            id => new MoveRequest { Id = id, From = from, To = to, Overwrite = overwrite },
            FilesJsonContext.Default.MoveRequest,
            FilesJsonContext.Default.FileReply,
            cancellationToken);

    /// <summary>The account's quota and how much of it the home uses.</summary>
    public Task<DiskUsageReply> GetDiskUsageAsync(CancellationToken cancellationToken = default) =>
        RequestAsync(
            id => new PathRequest { Op = Ops.Df, Id = id },
            FilesJsonContext.Default.PathRequest,
            FilesJsonContext.Default.DiskUsageReply,
            cancellationToken);
}
