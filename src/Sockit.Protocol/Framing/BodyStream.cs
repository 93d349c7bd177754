namespace Sockit.Protocol.Framing;

/// <summary>
/// A frame body as a read-only <see cref="Stream"/> that ends where the body ends. Reads go through the
/// function it wraps, so the owner's limits, timeouts and faults apply to them.
/// </summary>
public sealed class BodyStream : Stream
{
    private readonly Func<Memory<byte>, CancellationToken, ValueTask<int>> _read;

    /// <summary>Wraps <paramref name="read"/>, which fills a buffer and returns 0 at the end of the body.</summary>
    public BodyStream(Func<Memory<byte>, CancellationToken, ValueTask<int>> read)
    {
        _read = read ?? throw new ArgumentNullException(nameof(read));
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _read(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not supported: a blocking read would hold a thread for as long as the peer takes.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("frame bodies are read asynchronously");

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
