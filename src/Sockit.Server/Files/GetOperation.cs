using System.Buffers;
using System.Security.Cryptography;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;
using Sockit.Protocol.Messages;
using Sockit.Server.Files.Jail;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>
/// <c>get</c>: the file's size, its bytes from the asked offset in parts, and the SHA-256 of the whole file, so the
/// client checks what it wrote, a resumed download included. A file whose hash the server already knows and that has
/// not changed since (<see cref="FileHashCache"/>) is only read from the offset on, and not hashed again.
/// </summary>
internal sealed class GetOperation(FileService files) : FileOperation(Ops.Get)
{
    private const int ReadLength = 1024 * 1024;

    // A hash computed while a file is being written could mix two versions and still see no change, since the kernel
    // stamps times at a clock tick of a few milliseconds; it is kept only for a file untouched for this long before.
    private const int QuietSeconds = 2;

    public override async ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.ReadArguments(FilesJsonContext.Default.GetRequest);
        var path = JailPath.Parse(header.Path ?? throw new SockitException(SockitErrorCode.InvalidArgument, "get needs a path"));
        using var home = files.OpenHome(request);
        using var transfer = files.Transfers.Enter(home.UserName);
        using var file = home.OpenRead(path);
        var what = $"cannot read {path.Display}";
        long startedSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var before = HomeJail.StatHandle(file, what);
        long size = (long)before.Size;
        if (header.Offset < 0 || header.Offset > size)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"offset {header.Offset} is outside {path.Display} ({size} bytes)");
        }

        await request.SendPartAsync(
            new GetInfo { Id = request.Id, Size = size, Mtime = FileEntries.Time(before.ModifiedUtc) },
            FilesJsonContext.Default.GetInfo).ConfigureAwait(false);

        files.Hashes.TryGet(before, out var known);
        using var hash = known is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadLength);
        try
        {
            // Without a known hash the bytes before the asked offset are read too, only to feed the hash.
            long offset = hash is null ? header.Offset : 0;
            while (offset < size)
            {
                int want = (int)Math.Min(offset < header.Offset ? Math.Min(ReadLength, header.Offset - offset) : ReadLength, size - offset);
                int read;
                try
                {
                    read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset, request.Aborted).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    // The server's disk, not the connection: without this the session would take it for a disconnect.
                    throw JailErrors.ForIo(ex, what);
                }

                if (read == 0)
                {
                    throw Changed(path);
                }

                hash?.AppendData(buffer, 0, read);
                if (offset >= header.Offset)
                {
                    // One read of a megabyte goes out as parts of at most 64 KiB, the most a part may carry.
                    for (int sent = 0; sent < read;)
                    {
                        int part = Math.Min(ProtocolInfo.MaxPartBodyLength, read - sent);
                        await request.SendPartAsync(new GetData { Id = request.Id, DataSize = part }, FilesJsonContext.Default.GetData, buffer.AsMemory(sent, part))
                            .ConfigureAwait(false);
                        sent += part;
                    }
                }

                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var after = HomeJail.StatHandle(file, what);
        if (FileVersion.Of(after) != FileVersion.Of(before))
        {
            throw Changed(path);
        }

        string sha256 = known ?? Convert.ToHexStringLower(hash!.GetHashAndReset());
        if (known is null && startedSeconds - before.ChangedSeconds >= QuietSeconds)
        {
            files.Hashes.Set(before, sha256);
        }

        // Free before the reply can reach the client, who may start its next transfer as soon as it sees it.
        file.Dispose();
        transfer.Dispose();
        await request.ReplyAsync(new GetReply { Id = request.Id, Size = size, Sha256 = sha256 }, FilesJsonContext.Default.GetReply).ConfigureAwait(false);
    }

    private static SockitException Changed(JailPath path) =>
        new(SockitErrorCode.Busy, $"{path.Display} changed while it was sent; download it again");
}
