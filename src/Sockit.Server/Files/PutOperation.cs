using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;
using Sockit.Protocol.Messages;
using Sockit.Server.Files.Jail;
using Sockit.Server.Sessions;

namespace Sockit.Server.Files;

/// <summary>
/// <c>put</c>: writes a file to a hidden partial beside its target while hashing it, checks the client's SHA-256 (and
/// MD5), syncs it to disk and only then gives it its name. A streamed upload resumes what an interrupted one left.
/// </summary>
internal sealed class PutOperation(FileService files) : FileOperation(Ops.Put)
{
    private const int ChunkLength = 256 * 1024;

    // Half the default input window: reading grants the client more as it goes, but a fill as large as the window
    // would leave the client nothing in flight while the server writes.
    private const int FillLength = 128 * 1024;

    public override long MaxBodyLength => files.Options.MaxWholeUploadLength;

    public override async ValueTask ExecuteAsync(SockitRequest request)
    {
        var header = request.ReadArguments(FilesJsonContext.Default.PutRequest);
        var path = JailPath.Parse(header.Path ?? throw Invalid("put needs a path"));
        var sha256 = Hex(header.Sha256, 64, "sha256");
        if (sha256 is null && !header.Input)
        {
            throw Invalid("put needs the file's sha256 (64 hex digits)");
        }

        var md5 = Hex(header.Md5, 32, "md5");
        DateTime? mtime = header.Mtime is null ? null : Time(header.Mtime);
        long size = header.Size;
        if (size < 0)
        {
            throw Invalid("size must not be negative");
        }

        if (!header.Input && request.Head.DataSize != size)
        {
            throw Invalid($"a whole upload's body is the file: data_size must equal size ({size}), or stream it with input");
        }

        if (header.Input && request.Id is null)
        {
            throw Invalid("a streamed upload needs the request to have an id");
        }

        // Listening from the start: a client sure of a fresh upload may send everything, end included, at once.
        var trailer = header.Input ? UploadTrailer.Listen(request) : null;
        using var home = files.OpenHome(request);
        using var transfer = files.Transfers.Enter(home.UserName);
        using var turn = await files.Uploads.EnterAsync(home.UserName + "\0" + path.Display, path.Display, request.Aborted).ConfigureAwait(false);
        using var upload = home.OpenForUpload(path, header.Overwrite);
        var replaced = upload.ReplacedLength;
        var partial = upload.Partial;
        long resumed = header.Input && !header.Restart ? Math.Min(upload.ExistingLength, size) : 0;

        // The file it replaces is freed only once the new one has its name: until then both count.
        using var reservation = Reserve(request, home, path, upload, size - resumed, upload.ExistingLength - resumed);
        if (resumed != upload.ExistingLength)
        {
            RandomAccess.SetLength(partial, resumed);
            files.AddUsage(home.UserName, resumed - upload.ExistingLength);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5Hash = md5 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var written = new UploadProgress(reservation, resumed);
        try
        {
            if (header.Input)
            {
                await HashPrefixAsync(partial, resumed, hash, md5Hash, request.Aborted).ConfigureAwait(false);
                await request.SendPartAsync(
                    new PutOffset { Id = request.Id, Offset = resumed, PrefixSha256 = Convert.ToHexStringLower(hash.GetCurrentHash()) },
                    FilesJsonContext.Default.PutOffset).ConfigureAwait(false);
                await CopyInputAsync(request, partial, size, written, hash, md5Hash).ConfigureAwait(false);
            }
            else
            {
                await CopyAsync((destination, _, cancellationToken) => request.ReadBodyAsync(destination, cancellationToken), partial, size, written, hash, md5Hash, request).ConfigureAwait(false);
            }
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.QuotaExceeded || ex.Code == SockitErrorCode.InvalidArgument)
        {
            Discard(home, path, upload, written);
            throw;
        }

        if (written.Position < size)
        {
            // Kept: the same upload run again resumes from here.
            throw Invalid($"the input ended after {written.Position} of {size} bytes; the partial upload is kept, run it again to resume");
        }

        // A hash sent on the end frame is checked as well as one in the request; with neither, nothing can be verified,
        // and the partial is kept for a run that sends one.
        var endSha256 = Hex(trailer?.Sha256, 64, "the end frame's sha256");
        sha256 ??= endSha256 ?? throw Invalid("a streamed put without sha256 in its request needs it on its end frame; the partial upload is kept");
        var received = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (received != sha256 || (endSha256 is not null && received != endSha256)
            || (md5Hash is not null && Convert.ToHexStringLower(md5Hash.GetHashAndReset()) != md5))
        {
            Discard(home, path, upload, written);
            throw new SockitException(SockitErrorCode.ChecksumMismatch, $"{path.Display}: the bytes received do not match the hash given; nothing was kept");
        }

        if (mtime is DateTime time)
        {
            HomeJail.SetModifiedTime(partial, time, $"cannot set the time of {path.Display}");
        }

        if (request.Id is not null && !request.IsDetachedRequest)
        {
            // The commit waits for the disk twice (the file's fsync, then its folder's). Run inline it would hold the
            // connection's loop, and a put -r's files would each wait for the one before; on its own, the next files
            // are read and committed meanwhile, and the disk takes their syncs together.
            await Task.Yield();
        }

        home.Commit(path, partial, header.Overwrite);
        var committed = TryStat(partial);

        // The upload counted its bytes as it wrote them; the home's usage counts blocks (what df walks), and a small
        // file takes a whole block. Counted in bytes, a user's quota held ten thousand times its size in tiny files.
        files.AddUsage(home.UserName, (committed?.AllocatedBytes ?? size) - size - replaced);
        if (committed is { } status)
        {
            // Kept for downloads of the file just committed (the handle is still that file).
            files.Hashes.Set(status, sha256);
        }

        // Held until the reply is out, the upload's lock kept the file busy for anyone who locks it (a get, another
        // program on the server) just after it got its name.
        upload.Dispose();

        // Free before the reply can reach the client, who may start its next transfer as soon as it sees it: a put -r
        // keeps as many in flight as one user may have.
        transfer.Dispose();
        await request.ReplyAsync(new PutReply { Id = request.Id, Size = size, Sha256 = sha256, Resumed = resumed }, FilesJsonContext.Default.PutReply)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Lets the upload in for the bytes it will write, or refuses it before it writes any. A refused upload leaves
    /// nothing behind: an empty partial (the one it just made) goes; one an interrupted upload filled stays as it was,
    /// for a resume once there is room.
    /// </summary>
    private QuotaReservation Reserve(SockitRequest request, HomeJail home, JailPath path, JailUpload upload, long bytes, long freedFirst)
    {
        try
        {
            return files.Reserve(request, home, bytes, freedFirst);
        }
        catch (SockitException) when (upload.ExistingLength == 0)
        {
            upload.Dispose();
            DiscardPartial(home, path);
            throw;
        }
    }

    /// <summary>The committed file's status; null if it cannot be read (the file is in place and verified all the same).</summary>
    private static FileStatus? TryStat(SafeFileHandle committed)
    {
        try
        {
            return HomeJail.StatHandle(committed, "cannot stat the uploaded file");
        }
        catch (SockitException)
        {
            // Without it a download only hashes the file again, and the usage is recounted at the next df.
            return null;
        }
    }

    private void Discard(HomeJail home, JailPath path, JailUpload upload, UploadProgress written)
    {
        // The jail will not remove a partial someone holds locked, so the upload lets go of it first. The upload gate
        // still keeps other uploads of this target out until the request ends.
        upload.Dispose();
        home.DiscardPartial(path);
        files.AddUsage(home.UserName, -written.Position);
    }

    private static void DiscardPartial(HomeJail home, JailPath path)
    {
        try
        {
            home.DiscardPartial(path);
        }
        catch (SockitException)
        {
            // The upload has failed already and says why; a partial that could not go stays hidden, and the next upload
            // of the target takes it over.
        }
    }

    private static async Task HashPrefixAsync(SafeFileHandle partial, long length, IncrementalHash hash, IncrementalHash? md5, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            for (long offset = 0; offset < length;)
            {
                int read = await RandomAccess.ReadAsync(partial, buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - offset)), offset, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    throw new SockitException(SockitErrorCode.Busy, "the partial upload changed while it was read");
                }

                hash.AppendData(buffer, 0, read);
                md5?.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Copies a streamed upload's input, with its input window widened from the server's budget: its input is written
    /// out as fast as it comes, so a larger window costs memory only while the disk lags, and spares both ends a grant
    /// (and the wake-ups it costs) every half window.
    /// </summary>
    private async Task CopyInputAsync(SockitRequest request, SafeFileHandle partial, long size, UploadProgress written, IncrementalHash hash, IncrementalHash? md5)
    {
        // A server whose own input window is as large takes nothing from the budget: there is nothing to widen.
        int window = files.Options.UploadWindow;
        bool widened = window > request.InputWindow && files.UploadWindows.TryTake(window);
        try
        {
            if (widened)
            {
                await request.WidenInputWindowAsync(window).ConfigureAwait(false);
            }

            await CopyAsync(request.ReadInputAtLeastAsync, partial, size, written, hash, md5, request).ConfigureAwait(false);
        }
        finally
        {
            if (widened)
            {
                files.UploadWindows.Return(window);
            }
        }
    }

    private static async Task CopyAsync(
        Func<Memory<byte>, int, CancellationToken, ValueTask<int>> source,
        SafeFileHandle partial,
        long size,
        UploadProgress written,
        IncrementalHash hash,
        IncrementalHash? md5,
        SockitRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkLength);
        try
        {
            bool ended = false;
            while (!ended)
            {
                // Input arrives in pieces as small as the connection's 4 KiB receive buffers: gathering half an input
                // window before writing and hashing saves a write call and a hash call per piece.
                // A gather stops at the size given, and one more read then waits for the end, so that input past the
                // size is refused as it comes.
                int read = 0;
                while (read < FillLength && (read == 0 || written.Position + read < size))
                {
                    // Waking once per gathered piece, not once per received chunk: each wake is a hand-off between threads.
                    int wanted = (int)Math.Max(1, Math.Min(FillLength - read, size - written.Position - read));
                    int got = await source(buffer.AsMemory(read, ChunkLength - read), wanted, request.Aborted).ConfigureAwait(false);
                    if (got == 0)
                    {
                        ended = true;
                        break;
                    }

                    read += got;
                }

                if (read == 0)
                {
                    return;
                }

                if (written.Position + read > size)
                {
                    throw Invalid($"more bytes came than the size given ({size}); nothing was kept");
                }

                try
                {
                    // A plain write: the asynchronous one is the same write on another pool thread, a hand-off per chunk.
                    RandomAccess.Write(partial, buffer.AsSpan(0, read), written.Position);
                }
                catch (IOException ex)
                {
                    // The server's disk, not the connection: without this the session would take it for a disconnect.
                    throw JailErrors.ForIo(ex, "cannot store the upload");
                }

                hash.AppendData(buffer, 0, read);
                md5?.AppendData(buffer, 0, read);
                written.Add(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? Hex(string? value, int length, string field)
    {
        if (value is null)
        {
            return null;
        }

        return value.Length == length && value.All(char.IsAsciiHexDigit)
            ? value.ToLowerInvariant()
            : throw Invalid($"{field} must be {length} hex digits");
    }

    private static DateTime Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw Invalid("mtime must be a time in ISO 8601, e.g. 2026-11-30T14:00:00Z");

    private static SockitException Invalid(string message) => new(SockitErrorCode.InvalidArgument, message);
}
