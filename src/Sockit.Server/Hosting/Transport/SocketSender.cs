using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// Sends what the output pipe holds, gathering its segments into one <c>sendmsg</c> each time: a large write spread
/// over many blocks costs one system call, not one per block. Reused for every send of one connection, so a send
/// allocates nothing.
/// </summary>
internal sealed class SocketSender : SocketAsyncEventArgs, IValueTaskSource<int>
{
    /// <summary>The most segments one send gathers, well below the system's limit of 1024.</summary>
    public const int MaxSegments = 64;

    private readonly List<ArraySegment<byte>> _segments = new(MaxSegments);
    private ManualResetValueTaskSourceCore<int> _source;

    public SocketSender()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>How many send calls this sender made (for tests and diagnostics).</summary>
    public long Sends { get; private set; }

    /// <summary>Sends all of <paramref name="data"/>; a stream socket's send completes only when every byte is taken.</summary>
    public async ValueTask SendAsync(Socket socket, ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            await SendOneAsync(socket, data.First).ConfigureAwait(false);
            return;
        }

        foreach (var memory in data)
        {
            if (memory.IsEmpty)
            {
                continue;
            }

            if (!MemoryMarshal.TryGetArray(memory, out var array))
            {
                // Memory that is not an array cannot go into a gathered send: send what is gathered, then it alone.
                await SendGatheredAsync(socket).ConfigureAwait(false);
                await SendOneAsync(socket, memory).ConfigureAwait(false);
                continue;
            }

            _segments.Add(array);
            if (_segments.Count == MaxSegments)
            {
                await SendGatheredAsync(socket).ConfigureAwait(false);
            }
        }

        await SendGatheredAsync(socket).ConfigureAwait(false);
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        // On Unix the sockets layer already completes on a thread-pool thread, so the continuation runs inline here.
        if (SocketError == SocketError.Success)
        {
            _source.SetResult(BytesTransferred);
        }
        else
        {
            _source.SetException(new SocketException((int)SocketError));
        }
    }

    private ValueTask<int> SendOneAsync(Socket socket, ReadOnlyMemory<byte> memory)
    {
        if (BufferList is not null)
        {
            BufferList = null;
        }

        SetBuffer(MemoryMarshal.AsMemory(memory));
        return StartAsync(socket);
    }

    private async ValueTask SendGatheredAsync(Socket socket)
    {
        if (_segments.Count == 0)
        {
            return;
        }

        if (_segments.Count == 1)
        {
            var only = _segments[0];
            _segments.Clear();
            await SendOneAsync(socket, only).ConfigureAwait(false);
            return;
        }

        if (!MemoryBuffer.IsEmpty)
        {
            SetBuffer(null, 0, 0);
        }

        // The setter copies the list, so it can be cleared for the next batch at once.
        BufferList = _segments;
        _segments.Clear();
        await StartAsync(socket).ConfigureAwait(false);
    }

    private ValueTask<int> StartAsync(Socket socket)
    {
        Sends++;
        _source.Reset();
        if (socket.SendAsync(this))
        {
            return new ValueTask<int>(this, _source.Version);
        }

        return SocketError == SocketError.Success
            ? new ValueTask<int>(BytesTransferred)
            : ValueTask.FromException<int>(new SocketException((int)SocketError));
    }
}
