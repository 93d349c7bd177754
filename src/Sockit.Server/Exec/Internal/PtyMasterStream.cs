using System.Buffers;
using System.IO.Pipelines;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// The parent's side of a pseudo-terminal. Linux reports the last slave descriptor closing as <c>EIO</c> on the
/// master rather than as end of file; this stream turns that into the ordinary 0-byte read, so readers of a pty and of
/// a pipe need not differ.
/// </summary>
/// <remarks>
/// A terminal cannot be waited for without a thread (the runtime polls only sockets), and a read through
/// <see cref="FileStream"/> would hold a thread-pool thread for as long as the program is silent: a few idle shells
/// would starve the pool. So one dedicated thread per terminal reads it into a small pipe (at most
/// <see cref="BufferedOutputLength"/> bytes, so the program still blocks when nobody takes its output), and reads take
/// from that pipe.
/// </remarks>
internal sealed class PtyMasterStream : Stream
{
    /// <summary>The most terminal output read ahead of the stream's reader.</summary>
    public const int BufferedOutputLength = 64 * 1024;

    private const int ReaderStackSize = 128 * 1024;

    private readonly FileStream _inner;
    private readonly Pipe _screen = new(new PipeOptions(
        pauseWriterThreshold: BufferedOutputLength, resumeWriterThreshold: BufferedOutputLength / 2, useSynchronizationContext: false));

    private int _readerStarted;

    /// <summary>Wraps the master descriptor's stream, which this stream then owns.</summary>
    public PtyMasterStream(FileStream inner) => _inner = inner;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var rented = new byte[buffer.Length];
        int read = ReadAsync(rented).AsTask().GetAwaiter().GetResult();
        rented.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        StartReader();
        var result = await _screen.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var available = result.Buffer;
        int count = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, count).CopyTo(buffer.Span);
        _screen.Reader.AdvanceTo(available.GetPosition(count));
        return count;
    }

    private void StartReader()
    {
        if (Interlocked.Exchange(ref _readerStarted, 1) == 0)
        {
            new Thread(ReadTerminal, ReaderStackSize) { IsBackground = true, Name = "pty reader" }.Start();
        }
    }

    private void ReadTerminal()
    {
        var writer = _screen.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(16 * 1024);
                int read;
                try
                {
                    read = _inner.Read(memory.Span);
                }
                catch (IOException e) when (e.HResult == LibC.EIO)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                // Blocks this thread, and so the program, while the reader has a full buffer unread.
                if (writer.FlushAsync().AsTask().GetAwaiter().GetResult().IsCompleted)
                {
                    break;
                }
            }

            writer.Complete();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            writer.Complete(ex is InvalidOperationException ? null : ex);
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The reader thread stops at its next read (end of file once the terminal's programs are gone) or flush.
            _screen.Reader.Complete();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
