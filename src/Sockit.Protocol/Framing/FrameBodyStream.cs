namespace Sockit.Protocol.Framing;

/// <summary>A read-only stream over the body of the frame a <see cref="FrameReader"/> is positioned in.</summary>
internal sealed class FrameBodyStream : Stream
{
    private readonly FrameReader _reader;

    public FrameBodyStream(FrameReader reader)
    {
        _reader = reader;
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
        _reader.ReadBodyAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadBodyAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Blocking reads would tie up a thread per connection; body streams are asynchronous only.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("frame bodies are read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
