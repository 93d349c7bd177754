namespace Sockit.Client;

/// <summary>A reply body as a read-only stream; reads go through the response so timeouts and faults apply.</summary>
internal sealed class ReplyBodyStream : Stream
{
    private readonly Func<Memory<byte>, CancellationToken, ValueTask<int>> _read;

    public ReplyBodyStream(Func<Memory<byte>, CancellationToken, ValueTask<int>> read)
    {
        _read = read;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _read(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // A blocking read would hold a thread for as long as the server takes; reply bodies are asynchronous only.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("reply bodies are read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
