namespace Sockit.Client.Exec;

/// <summary>
/// A remote command's standard input as a write-only stream (<see cref="SockitExecution.OpenStandardInput"/>): writes
/// wait for the server's credit, and disposing the stream ends the input, as closing a pipe does.
/// </summary>
internal sealed class ExecInputStream(SockitExecution execution) : Stream
{
    private int _closed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => Volatile.Read(ref _closed) == 0;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        return execution.WriteInputAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        // Every write is sent as it is made.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            await CompleteQuietlyAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
        {
            CompleteQuietlyAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async ValueTask CompleteQuietlyAsync()
    {
        try
        {
            await execution.CompleteInputAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The command has ended: its input is over anyway.
        }
    }
}
