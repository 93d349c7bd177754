using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;

namespace Sockit.Client;

// Uploads and downloads of whole files, verified with SHA-256 end to end and resumable from partial files.
public sealed partial class SockitClient
{
    // Several input frames per read of the file: each read and each hash call costs the same however small.
    private const int UploadReadLength = 256 * 1024;

    /// <summary>
    /// Uploads a local file to <paramref name="remotePath"/>, checked by the server against its SHA-256 before the file
    /// gets its name there. A file up to <see cref="FileTransferOptions.SmallFileLength"/> is hashed, then goes in one
    /// request; a larger one streams, hashed as it is sent (its hash goes on the <c>end</c> frame), and resumes what an
    /// interrupted upload of the same target left, after checking that the server's partial matches the start of this
    /// file.
    /// </summary>
    /// <exception cref="SockitException"><c>busy</c> when the local file changed while it was sent (the server keeps the partial, and the next upload finds it no longer matches and starts again); <c>invalid_argument</c> when it is not a regular file (a folder, a pipe, a socket or a device).</exception>
    public async Task<PutReply> UploadFileAsync(
        string localPath, string remotePath, FileTransferOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localPath);
        ArgumentNullException.ThrowIfNull(remotePath);
        options ??= new FileTransferOptions();
        using var source = UploadSource.Open(localPath);
        if (source.Size <= FileTransferOptions.SmallFileLength)
        {
            return await UploadSmallAsync(source, remotePath, options, cancellationToken).ConfigureAwait(false);
        }

        return await UploadStreamedAsync(source, remotePath, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a small file as the body of one request: read once into memory, so the hash and the bytes sent are of the
    /// same read. Many small files in a row (<c>put -r</c>) pay per file, so this is one read and one hash call.
    /// </summary>
    private async Task<PutReply> UploadSmallAsync(UploadSource source, string remotePath, FileTransferOptions options, CancellationToken cancellationToken)
    {
        int size = (int)source.Size;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            int length = 0, read;
            while (length < size && (read = RandomAccess.Read(source.Handle, buffer.AsSpan(length, size - length), length)) > 0)
            {
                length += read;
            }

            if (length < size)
            {
                throw new SockitException(SockitErrorCode.Busy, $"{source.Path} got shorter while it was read; nothing was stored under {remotePath}, upload it again");
            }

            var body = buffer.AsMemory(0, size);
            string sha256 = Convert.ToHexStringLower(SHA256.HashData(body.Span));

            // The body is copied into the connection's output before the request is on its way, so the buffer can go back after.
            var reply = await RequestWithBodyAsync(
                id => new PutRequest { Id = id, Path = remotePath, Size = size, Sha256 = sha256, Overwrite = options.Overwrite, Mtime = source.Mtime, DataSize = size },
                SockitRequestBody.FromMemory(body),
                cancellationToken).ConfigureAwait(false);
            options.Progress?.Report(size);
            return reply;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<PutReply> RequestWithBodyAsync(Func<long, PutRequest> createHeader, SockitRequestBody body, CancellationToken cancellationToken)
    {
        var response = await SendAsync(createHeader, FilesJsonContext.Default.PutRequest, FilesJsonContext.Default.PutReply, body, cancellationToken)
            .ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            return response.Reply;
        }
    }

    private async Task<PutReply> UploadStreamedAsync(UploadSource source, string remotePath, FileTransferOptions options, CancellationToken cancellationToken)
    {
        var file = source.Stream;
        long size = source.Size;
        await using var call = await StartAsync(
            id => new PutRequest
            {
                Id = id, Path = remotePath, Size = size, Overwrite = options.Overwrite, Restart = options.Restart, Mtime = source.Mtime, Input = true,
            },
            FilesJsonContext.Default.PutRequest,
            FilesJsonContext.Default.PutReply,
            cancellationToken: cancellationToken).ConfigureAwait(false);

        await using var parts = call.Frames.GetAsyncEnumerator(cancellationToken);
        if (!await parts.MoveNextAsync().ConfigureAwait(false))
        {
            // No offset came: the server refused the upload; its reply says why.
            return await ReplyOfAsync(call).ConfigureAwait(false);
        }

        var resume = parts.Current.Deserialize(FilesJsonContext.Default.PutOffset);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (resume.Offset < 0 || resume.Offset > size
            || (resume.Offset > 0 && !await PrefixMatchesAsync(file, resume, hash, cancellationToken).ConfigureAwait(false)))
        {
            // The server kept bytes that are not the start of this file (the file changed since): start again.
            call.Cancel();
            return await UploadFileAgainAsync(source, remotePath, options, cancellationToken).ConfigureAwait(false);
        }

        file.Position = resume.Offset;
        options.Progress?.Report(resume.Offset);
        var buffer = ArrayPool<byte>.Shared.Rent(UploadReadLength);
        try
        {
            long sent = resume.Offset;
            int read;

            // A plain read: an asynchronous one is the same read on another pool thread, a hand-off per chunk.
            while (sent < size && (read = file.Read(buffer, 0, (int)Math.Min(UploadReadLength, size - sent))) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await call.WriteInputAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sent += read;
                options.Progress?.Report(sent);
            }

            if (source.Changed())
            {
                // What was sent may mix two versions of the file, and its hash would vouch for that mix.
                call.Cancel();
                throw new SockitException(SockitErrorCode.Busy, $"{source.Path} changed while it was sent; nothing was stored under {remotePath}, upload it again");
            }

            await call.CompleteInputAsync(new PutEnd { Id = call.Id, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) }, FilesJsonContext.Default.PutEnd, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (call.GetReplyAsync().IsCompleted)
        {
            // The server ended the upload early (quota, a lie about the size): its reply says why.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return await ReplyOfAsync(call).ConfigureAwait(false);
    }

    /// <summary>Hashes the start of the file that the server says it kept into <paramref name="hash"/> and compares.</summary>
    private static async Task<bool> PrefixMatchesAsync(Stream file, PutOffset resume, IncrementalHash hash, CancellationToken cancellationToken)
    {
        await HashIntoAsync(file, resume.Offset, hash, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetCurrentHash()) == resume.PrefixSha256;
    }

    private Task<PutReply> UploadFileAgainAsync(UploadSource source, string remotePath, FileTransferOptions options, CancellationToken cancellationToken)
    {
        if (options.Restart)
        {
            throw new SockitProtocolException(SockitErrorCode.ProtocolError, "the server resumed an upload it was told to restart", null, null);
        }

        source.Stream.Position = 0;
        return UploadStreamedAsync(source, remotePath, options with { Restart = true }, cancellationToken);
    }

    private static async Task<TReply> ReplyOfAsync<TReply>(SockitCall<TReply> call)
    {
        var response = await call.GetReplyAsync().ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            return response.Reply;
        }
    }

    /// <summary>
    /// Downloads <paramref name="remotePath"/> to a local file. The bytes go to a partial file beside it
    /// (<see cref="PartialFile.For"/>), which a later download of the same file resumes; the partial gets the
    /// destination's name only once its SHA-256 matches the server's.
    /// </summary>
    /// <exception cref="SockitException"><c>already_exists</c> when the destination exists and <see cref="FileTransferOptions.Overwrite"/> is not set; <c>checksum_mismatch</c> when the bytes do not match (the partial is removed).</exception>
    public async Task<GetReply> DownloadFileAsync(
        string remotePath, string localPath, FileTransferOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remotePath);
        ArgumentNullException.ThrowIfNull(localPath);
        options ??= new FileTransferOptions();
        if (File.Exists(localPath) && !options.Overwrite)
        {
            throw new SockitException(SockitErrorCode.AlreadyExists, $"{localPath} exists; overwrite it to download again");
        }

        var partialPath = PartialFile.For(localPath);
        try
        {
            return await DownloadIntoPartialAsync(remotePath, localPath, partialPath, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (new FileInfo(partialPath) is { Exists: true, Length: 0 })
        {
            // Nothing of the file arrived: an empty partial is nothing to resume, only clutter beside the target.
            File.Delete(partialPath);
            throw;
        }
    }

    private async Task<GetReply> DownloadIntoPartialAsync(
        string remotePath, string localPath, string partialPath, FileTransferOptions options, CancellationToken cancellationToken)
    {
        var partial = new FileStream(partialPath, options.Restart ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous);
        GetReply reply;
        bool verified = false;
        string? modified = null;
        await using (partial.ConfigureAwait(false))
        {
            long offset = partial.Length;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await HashIntoAsync(partial, offset, hash, cancellationToken).ConfigureAwait(false);
            partial.Position = offset;
            options.Progress?.Report(offset);

            await using var call = await StartAsync(
                id => new GetRequest { Id = id, Path = remotePath, Offset = offset },
                FilesJsonContext.Default.GetRequest,
                FilesJsonContext.Default.GetReply,
                options: new SockitCallOptions { OutputWindow = options.Window },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            long received = offset;
            bool first = true;
            await foreach (var part in call.Frames.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (first)
                {
                    first = false;
                    var info = part.Deserialize(FilesJsonContext.Default.GetInfo);
                    if (info.Size < 0)
                    {
                        throw ProtocolBroken($"the server gave {remotePath} a size of {info.Size} bytes");
                    }

                    if (info.Size < offset)
                    {
                        // The partial is longer than the file: it was of another version of it.
                        throw new SockitException(SockitErrorCode.ChecksumMismatch, $"the partial download {partialPath} is longer than {remotePath}; download again with restart");
                    }

                    modified = info.Mtime;
                    continue;
                }

                // A plain write, as for an upload's reads: the asynchronous one is the same write on another thread.
                partial.Write(part.Body.Span);
                hash.AppendData(part.Body.Span);
                received += part.Body.Length;
                options.Progress?.Report(received);
            }

            reply = await ReplyOfAsync(call).ConfigureAwait(false);
            await partial.FlushAsync(cancellationToken).ConfigureAwait(false);
            partial.Flush(flushToDisk: true);
            verified = Convert.ToHexStringLower(hash.GetHashAndReset()) == reply.Sha256 && received == reply.Size;
        }

        if (!verified)
        {
            File.Delete(partialPath);
            throw new SockitException(SockitErrorCode.ChecksumMismatch, $"{remotePath}: the downloaded bytes do not match the server's SHA-256; the partial was removed, download again");
        }

        KeepModifiedTime(partialPath, modified);
        File.Move(partialPath, localPath, options.Overwrite);
        return reply;
    }

    /// <summary>
    /// Gives a downloaded file the server's modification time, as an upload gives the server's copy the local one, so
    /// a file that went up and came back keeps its time. A time that is not one (the server's word) is ignored.
    /// </summary>
    private static void KeepModifiedTime(string path, string? modified)
    {
        if (!DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            return;
        }

        try
        {
            File.SetLastWriteTimeUtc(path, time.UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // The file is complete and verified; only its time is the download's.
        }
    }

    /// <summary>Adds the first <paramref name="length"/> bytes of <paramref name="file"/> (from its start) to <paramref name="hash"/>.</summary>
    private static async Task HashIntoAsync(Stream file, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            long left = length;
            while (left > 0)
            {
                int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("the file got shorter while it was read");
                }

                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
