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
/// client checks what it wrote, a resumed download included.
/// </summary>
internal sealed class GetOperation(FileService files) : FileOperation(Ops.Get)
{
    private const int PrefixChunkLength = 1024 * 1024;

    public override async ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.ReadArguments(FilesJsonContext.Default.GetRequest);
        var path = JailPath.Parse(header.Path ?? throw new SockitException(SockitErrorCode.InvalidArgument, "get needs a path"));
        using var home = files.OpenHome(request);
        using var file = home.OpenRead(path);
        long size = RandomAccess.GetLength(file);
        var modified = File.GetLastWriteTimeUtc(file);
        if (header.Offset < 0 || header.Offset > size)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"offset {header.Offset} is outside {path.Display} ({size} bytes)");
        }

        await request.SendPartAsync(
            new GetInfo { Id = request.Id, Size = size, Mtime = FileEntries.Time(modified) },
            FilesJsonContext.Default.GetInfo).ConfigureAwait(false);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(PrefixChunkLength);
        try
        {
            long offset = 0;
            while (offset < size)
            {
                // Before the asked offset the bytes only feed the hash; from it on they are sent as well.
                bool sending = offset >= header.Offset;
                int want = (int)Math.Min(sending ? ProtocolInfo.MaxPartBodyLength : Math.Min(PrefixChunkLength, header.Offset - offset), size - offset);
                int read;
                try
                {
                    read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset, request.Aborted).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    // The server's disk, not the connection: without this the session would take it for a disconnect.
                    throw JailErrors.ForIo(ex, $"cannot read {path.Display}");
                }

                if (read == 0)
                {
                    throw Changed(path);
                }

                hash.AppendData(buffer, 0, read);
                if (sending)
                {
                    await request.SendPartAsync(new GetData { Id = request.Id, DataSize = read }, FilesJsonContext.Default.GetData, buffer.AsMemory(0, read))
                        .ConfigureAwait(false);
                }

                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (RandomAccess.GetLength(file) != size || File.GetLastWriteTimeUtc(file) != modified)
        {
            throw Changed(path);
        }

        await request.ReplyAsync(
            new GetReply { Id = request.Id, Size = size, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) },
            FilesJsonContext.Default.GetReply).ConfigureAwait(false);
    }

    private static SockitException Changed(JailPath path) =>
        new(SockitErrorCode.Busy, $"{path.Display} changed while it was sent; download it again");
}
