using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Works out what <c>put LOCAL... [REMOTE]</c> uploads where, as <c>scp</c> would: the remote destination is a folder
/// to put the sources into when there are several, when it ends with <c>/</c>, or when it is an existing folder
/// (created when missing); otherwise it is the new file's name. Folders go with <c>-r</c>, walked locally.
/// </summary>
internal static class PutPlanner
{
    /// <param name="client">Asks the server whether the destination is a folder.</param>
    /// <param name="sources">Local files and folders, relative to <paramref name="localFolder"/>.</param>
    /// <param name="destination">The remote destination as typed, relative to <paramref name="remoteFolder"/>; <see langword="null"/> for <paramref name="remoteFolder"/> itself.</param>
    /// <param name="recursive">Whether folders are uploaded with everything in them.</param>
    /// <param name="localFolder">The local working folder.</param>
    /// <param name="remoteFolder">The remote working folder (<c>/</c>, the home, outside <c>sockit ftp</c>).</param>
    /// <param name="cancellationToken">Stops the questions to the server.</param>
    public static async Task<TransferPlan> PlanAsync(
        SockitClient client,
        IReadOnlyList<string> sources,
        string? destination,
        bool recursive,
        string localFolder,
        string remoteFolder,
        CancellationToken cancellationToken)
    {
        var plan = new TransferPlan();
        var typed = destination ?? ".";
        var target = RemotePath.Resolve(remoteFolder, typed);
        bool intoFolder = destination is null
            || await RemoteTarget.IsFolderAsync(client, typed, target, sources.Count, cancellationToken).ConfigureAwait(false);
        if (intoFolder && target != "/")
        {
            plan.Folders.Add(target);
        }

        foreach (var source in sources)
        {
            var local = Path.GetFullPath(source, localFolder);
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(local));
            var remote = intoFolder ? RemotePath.Resolve(target, name) : target;
            if (File.Exists(local))
            {
                plan.Files.Add(new TransferItem(local, remote, new FileInfo(local).Length, source));
            }
            else if (!Directory.Exists(local))
            {
                plan.Problems.Add((source, new SockitException(SockitErrorCode.InvalidArgument, "no such local file or folder")));
            }
            else if (!recursive)
            {
                plan.Problems.Add((source, new SockitException(SockitErrorCode.InvalidArgument, "is a folder; -r uploads it with everything in it")));
            }
            else
            {
                Walk(plan, local, remote, source);
            }
        }

        return plan;
    }

    /// <summary>Adds <paramref name="folder"/> and everything below it, in name order.</summary>
    private static void Walk(TransferPlan plan, string folder, string remote, string label)
    {
        plan.Folders.Add(remote);
        var directory = new DirectoryInfo(folder);
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = directory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
                .OrderBy(entry => entry.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            plan.Problems.Add((label, ex));
            return;
        }

        foreach (var entry in entries)
        {
            var childRemote = RemotePath.Resolve(remote, entry.Name);
            var childLabel = Path.Join(label, entry.Name);
            // The link test reads the entry's attributes, which the walk has already: asking for a link's target is a
            // system call per entry, and most are not links.
            bool link = entry.Attributes.HasFlag(FileAttributes.ReparsePoint);
            if (link && entry is DirectoryInfo)
            {
                // A link to a folder may lead back up the tree; the server keeps no links either.
                plan.Skipped.Add($"sockit: {EntryFormat.Name(childLabel)}: skipped, a link to a folder");
            }
            else if (entry is DirectoryInfo child)
            {
                Walk(plan, child.FullName, childRemote, childLabel);
            }
            else if (entry is FileInfo file && Followed(file, link) is { } readable)
            {
                plan.Files.Add(new TransferItem(file.FullName, childRemote, readable.Length, childLabel));
            }
            else
            {
                plan.Skipped.Add($"sockit: {EntryFormat.Name(childLabel)}: skipped, a link to nothing");
            }
        }
    }

    /// <summary>The file whose bytes an upload of <paramref name="file"/> reads: itself, or what a link leads to (<see langword="null"/> for nothing).</summary>
    private static FileInfo? Followed(FileInfo file, bool link)
    {
        if (!link)
        {
            return file;
        }

        return file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target ? target : null;
    }
}
