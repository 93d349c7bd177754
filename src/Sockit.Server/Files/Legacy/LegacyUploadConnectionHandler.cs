using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;
using Sockit.Server.Files.Jail;
using Sockit.Server.Hosting;
using Sockit.Server.Hosting.Connections;

namespace Sockit.Server.Files.Legacy;

/// <summary>
/// The receiving end of the tutorials' file upload (tutorial 003, the header with <c>file_name</c>, <c>file_size</c> and
/// <c>md5</c>) for their own client: each upload is a <see cref="LegacyUploadHeader"/> and exactly <c>file_size</c> bytes
/// of file, one after another for as long as the client stays. A file grows in a hidden partial beside its name while
/// its MD5 is computed, and takes its name (replacing any file of that name) only when the MD5 matches; otherwise
/// nothing is kept. The folder is a <see cref="HomeJail"/>, and <c>file_name</c> must be one name in it, never a path.
/// </summary>
/// <remarks>
/// The tutorial's client reads nothing back, so a stored file is answered with nothing: a client that wants to know
/// closes its sending side and reads, and the end of the stream then means every upload was stored. Anything refused is
/// answered as the legacy command listener answers, with the tutorials' reply header and one line,
/// <c>sockit: CODE: MESSAGE</c>, and the connection closes. With an HMAC key a client must first pass the tutorials'
/// challenge (<see cref="LegacyChallenge"/>).
/// </remarks>
internal sealed class LegacyUploadConnectionHandler : LegacyConnectionHandler
{
    private readonly LegacyUploadOptions _options;
    private readonly LegacyUploadFolder _folder;

    public LegacyUploadConnectionHandler(
        SockitServerOptions options,
        ConnectionLimiter limiter,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<LegacyUploadConnectionHandler> logger)
        : base(options, options.Files.Legacy, limiter, lifetime, time, logger)
    {
        _options = options.Files.Legacy;
        _folder = new LegacyUploadFolder(_options, options.Files);
    }

    protected override void LogChallengeFailed(string remote, string reason, int unlogged) =>
        LegacyUploadLog.ChallengeFailed(Logger, remote, reason, unlogged);

    protected override async Task ConverseAsync(ConnectionContext connection, CancellationTokenSource deadline, string remote)
    {
        while (true)
        {
            LegacyUploadHeader? header;
            try
            {
                header = await ReadHeaderAsync(connection.Transport.Input, deadline).ConfigureAwait(false);
            }
            catch (SockitException ex)
            {
                if (WarningLog.TryTake(out int unlogged))
                {
                    LegacyUploadLog.HeaderRefused(Logger, remote, ex.Code.Value, EscapeMessage(ex.Message), unlogged);
                }

                await RefuseAsync(connection, ex).ConfigureAwait(false);
                return;
            }

            if (header is null)
            {
                ConnectionLog.ClosedByClient(Logger);
                return;
            }

            if (!await ReceiveAsync(connection, header, deadline, remote).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The next upload's header, or <see langword="null"/> when the client closed between uploads. The first byte may
    /// take the idle timeout to come; from it, the whole header must arrive within the header timeout.
    /// </summary>
    private async Task<LegacyUploadHeader?> ReadHeaderAsync(PipeReader input, CancellationTokenSource deadline)
    {
        deadline.CancelAfter(IdleTimeout);
        while (true)
        {
            var first = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            if (!first.Buffer.IsEmpty)
            {
                input.AdvanceTo(first.Buffer.Start);
                break;
            }

            input.AdvanceTo(first.Buffer.End);
            if (first.IsCompleted)
            {
                return null;
            }
        }

        deadline.CancelAfter(HeaderTimeout);
        try
        {
            int length = await ReadExactlyAsync(
                input, LegacyUploadHeader.PrefixLength, prefix => LegacyUploadHeader.ReadLength(prefix.ToArray()), deadline.Token).ConfigureAwait(false);
            return await ReadExactlyAsync(input, length, LegacyUploadHeader.Parse, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new SockitException(
                SockitErrorCode.HeaderTimeout,
                string.Create(CultureInfo.InvariantCulture, $"the header was not complete within {HeaderTimeout.TotalSeconds:0.###} s of its first byte"));
        }
    }

    /// <summary>
    /// Stores one upload and logs it. Returns whether the connection goes on: <see langword="false"/> once anything was
    /// refused (the client has been told), since the rest of a file that was not read would be taken for a header.
    /// </summary>
    private async Task<bool> ReceiveAsync(ConnectionContext connection, LegacyUploadHeader header, CancellationTokenSource deadline, string remote)
    {
        long started = Stopwatch.GetTimestamp();
        var upload = new LegacyUploadProgress();
        try
        {
            await StoreAsync(connection.Transport.Input, header, deadline, upload).ConfigureAwait(false);
            LegacyUploadLog.Stored(
                Logger, remote, Escape(header.FileName), header.FileSize, header.Md5, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }
        catch (SockitException ex)
        {
            NotStored(remote, header, upload, ex.Code.Value, ex.Message);
            await RefuseAsync(connection, ex).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            var stopping = Lifetime.ApplicationStopping.IsCancellationRequested;
            NotStored(
                remote,
                header,
                upload,
                stopping ? SockitErrorCode.ShuttingDown.Value : SockitErrorCode.IdleTimeout.Value,
                stopping ? "the server is stopping" : $"no more of the file within the idle timeout ({IdleTimeout.TotalSeconds:0.###} s)");
            throw;
        }
        catch (Exception ex) when (ConnectionFailures.IsAbruptDisconnect(ex))
        {
            NotStored(remote, header, upload, SockitErrorCode.ConnectionClosed.Value, "the connection was reset: " + ex.Message);
            throw;
        }
    }

    /// <summary>Reads the file into its partial, checks its MD5 and gives it its name; anything short of that leaves no trace.</summary>
    private async Task StoreAsync(PipeReader input, LegacyUploadHeader header, CancellationTokenSource deadline, LegacyUploadProgress upload)
    {
        var path = NameOf(header.FileName);
        if (header.FileSize > _options.MaxFileSize)
        {
            throw new SockitException(
                SockitErrorCode.BodyTooLarge,
                $"file_size {header.FileSize} is more than this server takes, {_options.MaxFileSize} bytes (Sockit:Files:Legacy:MaxFileSize); nothing was stored");
        }

        using var folder = _folder.Open();
        var opened = folder.OpenForUpload(path, overwrite: true);
        bool committed = false;
        try
        {
            using (opened)
            {
                var partial = opened.Partial;
                // The tutorial's protocol cannot resume: whatever an interrupted upload left is not this file's start.
                if (opened.ExistingLength != 0)
                {
                    RandomAccess.SetLength(partial, 0);
                }

                var md5 = await CopyAsync(input, partial, header.FileSize, deadline, upload).ConfigureAwait(false);
                upload.Md5Check = md5 == header.Md5 ? "ok" : "failed";
                if (md5 != header.Md5)
                {
                    throw new SockitException(
                        SockitErrorCode.ChecksumMismatch, $"the file's MD5 is {md5}, not {header.Md5} as the header says; nothing was stored");
                }

                folder.Commit(path, partial, overwrite: true);
                committed = true;
            }
        }
        finally
        {
            if (!committed)
            {
                Discard(folder, path);
            }
        }
    }

    /// <summary>Copies exactly <paramref name="size"/> bytes of input into <paramref name="partial"/>; the MD5 of them, in lower-case hex.</summary>
    private async Task<string> CopyAsync(PipeReader input, SafeFileHandle partial, long size, CancellationTokenSource deadline, LegacyUploadProgress upload)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        while (upload.Received < size)
        {
            // The file may take as long as it takes, as long as it keeps coming.
            deadline.CancelAfter(IdleTimeout);
            var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var taken = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, size - upload.Received));
            foreach (var segment in taken)
            {
                await WriteAsync(partial, segment, upload.Received).ConfigureAwait(false);
                md5.AppendData(segment.Span);
                upload.Received += segment.Length;
            }

            input.AdvanceTo(taken.End);
            if (upload.Received < size && result.IsCompleted)
            {
                throw new SockitException(
                    SockitErrorCode.TruncatedFrame,
                    string.Create(CultureInfo.InvariantCulture, $"the connection closed after {upload.Received} of the {size} bytes of the file; nothing was stored"));
            }
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private static async ValueTask WriteAsync(SafeFileHandle partial, ReadOnlyMemory<byte> bytes, long offset)
    {
        try
        {
            await RandomAccess.WriteAsync(partial, bytes, offset).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // The disk's failure, not the client's (a full disk, most likely): the client is told, the log says it.
            var failure = JailErrors.ForIo(ex, "cannot write the file");
            throw new SockitException(failure.Code, $"{failure.Message}; nothing was stored", ex);
        }
    }

    /// <summary>The one name in the folder that <paramref name="fileName"/> must be.</summary>
    private static JailPath NameOf(string fileName)
    {
        try
        {
            return JailPath.Root.Combine(fileName);
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.InvalidName)
        {
            throw new SockitException(
                SockitErrorCode.InvalidName,
                $"file_name '{Escape(fileName)}' cannot be stored: {ex.Message}; send the file's own name, as os.path.basename(path) gives it",
                ex);
        }
    }

    /// <summary>Answers a refusal as the tutorials' servers answer: their reply header and one line; then the connection closes.</summary>
    private async Task RefuseAsync(ConnectionContext connection, SockitException refusal)
    {
        var line = Encoding.UTF8.GetBytes($"sockit: {refusal.Code.Value}: {refusal.Message}\n");
        var output = connection.Transport.Output;
        output.Write(LegacyReplyHeader.For(line.Length));
        output.Write(line);

        // A timer of its own: the conversation's has fired when the refusal is a timeout.
        var stopping = Lifetime.ApplicationStopping;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (await RawConnection.FlushAsync(connection, deadline, WriteTimeout, Logger, stopping).ConfigureAwait(false))
        {
            // A client still sending its file would otherwise get a reset, which can destroy the answer before it is read.
            await LingeringClose.DrainAsync(connection.Transport.Input).ConfigureAwait(false);
        }
    }

    private void NotStored(string remote, LegacyUploadHeader header, LegacyUploadProgress upload, string code, string reason) =>
        LegacyUploadLog.NotStored(
            Logger, remote, Escape(header.FileName), header.FileSize, header.Md5, upload.Md5Check, upload.Received, code, EscapeMessage(reason));

    private void Discard(HomeJail folder, JailPath path)
    {
        try
        {
            folder.DiscardPartial(path);
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.Busy)
        {
            // Another upload of the same name took the partial over as soon as this one let go: it is that one's now.
        }
        catch (SockitException ex)
        {
            // The upload has failed already and says why; the partial stays hidden, and the next upload of the name
            // starts it again from nothing.
            LegacyUploadLog.PartialKept(Logger, Escape(path.Name), ex.Code.Value, EscapeMessage(ex.Message));
        }
    }

    /// <summary>Waits for <paramref name="count"/> bytes, reads them with <paramref name="read"/> and consumes them.</summary>
    private static async ValueTask<T> ReadExactlyAsync<T>(
        PipeReader input, int count, Func<ReadOnlySequence<byte>, T> read, CancellationToken cancellationToken)
    {
        var result = await input.ReadAtLeastAsync(count, cancellationToken).ConfigureAwait(false);
        var bytes = result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length));
        try
        {
            return bytes.Length == count
                ? read(bytes)
                : throw new SockitException(
                    SockitErrorCode.TruncatedFrame,
                    string.Create(CultureInfo.InvariantCulture, $"the connection closed inside the header ({bytes.Length} of {count} bytes)"));
        }
        finally
        {
            input.AdvanceTo(bytes.End);
        }
    }

    private static string Escape(string text) => UntrustedText.Escape(text);

    // Messages quote what the client sent (a name, a JSON error): escaped again, which changes nothing already escaped.
    private static string EscapeMessage(string message) => UntrustedText.Escape(message, UntrustedText.MaxMessageLength);
}
