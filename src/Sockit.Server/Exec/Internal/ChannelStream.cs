using System.Net.Sockets;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// The parent's end of a child's stdin, stdout or stderr socket pair as a one-way stream. <see cref="NetworkStream"/>
/// refuses a socket pair's end, since the runtime does not see an unnamed peer as connected; reads and writes go to the
/// socket directly, so waiting for a silent child costs no thread.
/// </summary>
internal sealed class ChannelStream : Stream
{
    private readonly Socket _socket;
    private readonly bool _reads;

    /// <summary>Takes ownership of <paramref name="socket"/>.</summary>
    public ChannelStream(Socket socket, bool reads)
    {
        _socket = socket;
        _reads = reads;
    }

    public override bool CanRead => _reads;

    public override bool CanWrite => !_reads;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        CheckReads();
        return _socket.Receive(buffer, SocketFlags.None);
    }

    /// <summary>
    /// Reads what has already arrived, up to <paramref name="buffer"/>'s length, without waiting: 0 when nothing is
    /// there yet (or the child has closed its end; the next <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    /// says which).
    /// </summary>
    public int ReadAvailable(Span<byte> buffer)
    {
        CheckReads();
        int available = _socket.Available;
        return available == 0 ? 0 : _socket.Receive(buffer[..Math.Min(available, buffer.Length)], SocketFlags.None);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckReads();
        return _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CheckWrites();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[_socket.Send(buffer, SocketFlags.None)..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckWrites();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckReads()
    {
        if (!_reads)
        {
            throw new NotSupportedException("This end of the channel only writes.");
        }
    }

    private void CheckWrites()
    {
        if (_reads)
        {
            throw new NotSupportedException("This end of the channel only reads.");
        }
    }
}
