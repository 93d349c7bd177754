using Sockit.Protocol.Files;
using Sockit.Protocol.Messages;
using Sockit.Server.Files.Jail;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary><c>ls</c>: a folder's entries in name order, sent in parts of <see cref="EntriesPerPart"/>.</summary>
internal sealed class ListOperation(FileService files) : FileOperation(Ops.Ls)
{
    /// <summary>The most entries in one part.</summary>
    public const int EntriesPerPart = 512;

    public override async ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.ReadArguments(FilesJsonContext.Default.ListRequest);
        var path = JailPath.Parse(header.Path ?? "");
        using var home = files.OpenHome(request);
        var target = home.Stat(path);
        IEnumerable<JailEntry> entries = target.Kind == JailEntryKind.Folder ? home.ListSorted(path) : [target with { Name = path.Name }];

        long count = 0;
        var batch = new List<FileEntry>(EntriesPerPart);
        foreach (var entry in entries)
        {
            batch.Add(FileEntries.ToWire(entry));
            if (batch.Count == EntriesPerPart)
            {
                await SendAsync(request, batch).ConfigureAwait(false);
                count += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await SendAsync(request, batch).ConfigureAwait(false);
            count += batch.Count;
        }

        await request.ReplyAsync(new ListReply { Id = request.Id, Count = count }, FilesJsonContext.Default.ListReply).ConfigureAwait(false);
    }

    private static ValueTask SendAsync(SockitRequest request, List<FileEntry> batch) =>
        request.SendPartAsync(new ListPart { Id = request.Id, Entries = batch }, FilesJsonContext.Default.ListPart);
}
