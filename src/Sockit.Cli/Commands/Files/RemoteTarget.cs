using Sockit.Client;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary>What a remote destination is, for verbs that copy or move into a folder as <c>cp</c> and <c>scp</c> do.</summary>
internal static class RemoteTarget
{
    /// <summary>The entry at <paramref name="path"/>, or <see langword="null"/> when nothing is there.</summary>
    public static async Task<FileEntry?> FindAsync(SockitClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SockitRemoteException ex) when (ex.Code == SockitErrorCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="target"/> names a folder to put things into, rather than the new name of the one thing
    /// given: with several sources, with a trailing <c>/</c>, or when it is an existing folder.
    /// </summary>
    public static async Task<bool> IsFolderAsync(
        SockitClient client, string typed, string target, int sources, CancellationToken cancellationToken) =>
        sources > 1 || typed.EndsWith('/') || target == "/"
        || (await FindAsync(client, target, cancellationToken).ConfigureAwait(false))?.Type == FileTypes.Folder;
}
