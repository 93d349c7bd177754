using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Works out what <c>get REMOTE... [LOCAL]</c> downloads where, as <c>scp</c> would: the local destination is a folder
/// to put the files into when there are several sources, when it ends with a separator, or when it is an existing
/// folder (created when missing); otherwise it is the new file's name. Folders go with <c>-r</c>, listed remotely.
/// </summary>
internal static class GetPlanner
{
    /// <param name="client">Describes and lists the remote sources.</param>
    /// <param name="sources">Remote files and folders, relative to <paramref name="remoteFolder"/>.</param>
    /// <param name="destination">The local destination as typed, relative to <paramref name="localFolder"/>; <see langword="null"/> for <paramref name="localFolder"/> itself.</param>
    /// <param name="recursive">Whether folders are downloaded with everything in them.</param>
    /// <param name="localFolder">The local working folder.</param>
    /// <param name="remoteFolder">The remote working folder.</param>
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
        var target = Path.GetFullPath(destination ?? ".", localFolder);
        bool intoFolder = destination is null
            || sources.Count > 1
            || destination.EndsWith('/')
            || destination.EndsWith(Path.DirectorySeparatorChar)
            || Directory.Exists(target);
        if (intoFolder)
        {
            plan.Folders.Add(target);
        }

        // The sources are described all at once: the requests go out together instead of a round trip each.
        var resolved = sources.Select(source => RemotePath.Resolve(remoteFolder, source)).ToList();
        var described = await Task.WhenAll(resolved.Select(path => DescribeAsync(client, path, cancellationToken))).ConfigureAwait(false);
        for (int i = 0; i < sources.Count; i++)
        {
            var (entry, problem) = described[i];
            if (entry is null)
            {
                plan.Problems.Add((resolved[i], problem!));
                continue;
            }

            string local;
            try
            {
                local = intoFolder ? LocalChild(target, RemotePath.NameOf(resolved[i])) : target;
            }
            catch (SockitException ex)
            {
                plan.Problems.Add((resolved[i], ex));
                continue;
            }

            if (entry.Type == FileTypes.File)
            {
                plan.Files.Add(new TransferItem(resolved[i], local, entry.Size, resolved[i]));
            }
            else if (entry.Type != FileTypes.Folder)
            {
                plan.Problems.Add((resolved[i], new SockitException(SockitErrorCode.InvalidArgument, $"is a {EntryFormat.Name(entry.Type)}, not a file")));
            }
            else if (!recursive)
            {
                plan.Problems.Add((resolved[i], new SockitException(SockitErrorCode.InvalidArgument, "is a folder; -r downloads it with everything in it")));
            }
            else
            {
                await WalkAsync(client, plan, resolved[i], local, cancellationToken).ConfigureAwait(false);
            }
        }

        return plan;
    }

    private static async Task<(FileEntry? Entry, Exception? Problem)> DescribeAsync(SockitClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.StatAsync(path, cancellationToken).ConfigureAwait(false), null);
        }
        catch (SockitRemoteException ex)
        {
            return (null, ex);
        }
    }

    /// <summary>Adds <paramref name="remote"/> and everything below it: one listing per folder, never one request per file.</summary>
    private static async Task WalkAsync(SockitClient client, TransferPlan plan, string remote, string local, CancellationToken cancellationToken)
    {
        var folders = new Queue<(string Remote, string Local)>();
        folders.Enqueue((remote, local));
        while (folders.TryDequeue(out var folder))
        {
            plan.Folders.Add(folder.Local);
            try
            {
                await foreach (var entry in client.ListAsync(folder.Remote, cancellationToken).ConfigureAwait(false))
                {
                    var childRemote = RemotePath.Resolve(folder.Remote, entry.Name);
                    string childLocal;
                    try
                    {
                        childLocal = LocalChild(folder.Local, entry.Name);
                    }
                    catch (SockitException ex)
                    {
                        plan.Problems.Add((folder.Remote + "/" + entry.Name, ex));
                        continue;
                    }

                    if (entry.Type == FileTypes.Folder)
                    {
                        folders.Enqueue((childRemote, childLocal));
                    }
                    else if (entry.Type == FileTypes.File)
                    {
                        plan.Files.Add(new TransferItem(childRemote, childLocal, entry.Size, childRemote));
                    }
                    else
                    {
                        plan.Skipped.Add($"sockit: {EntryFormat.Name(childRemote)}: skipped, a {EntryFormat.Name(entry.Type)}");
                    }
                }
            }
            catch (SockitRemoteException ex)
            {
                plan.Problems.Add((folder.Remote, ex));
            }
        }
    }

    /// <summary>
    /// <paramref name="folder"/>/<paramref name="name"/> for a name the server sent. A hostile server could send
    /// <c>..</c> or a name with a separator to write outside the destination; such a name is refused. The home's own
    /// name is empty: its files go straight into <paramref name="folder"/>.
    /// </summary>
    /// <exception cref="SockitProtocolException">The name would leave <paramref name="folder"/>.</exception>
    public static string LocalChild(string folder, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return folder;
        }

        if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new SockitProtocolException(
                SockitErrorCode.ProtocolError, $"the server sent a name that cannot be a local file: {EntryFormat.Name(name)}", null, null);
        }

        return Path.Join(folder, name);
    }
}
