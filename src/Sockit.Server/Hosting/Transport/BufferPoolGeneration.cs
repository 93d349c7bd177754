using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// One <see cref="PinnedBlockPool"/> and the connections that read and write through it. The pool keeps the blocks its
/// connections give back (up to its bound); disposing it once it is retired and its last connection has ended is what
/// lets the memory of a past burst go.
/// </summary>
internal sealed class BufferPoolGeneration
{
    /// <summary>Unread input at which a connection stops receiving until the application reads.</summary>
    public const long MaxReadBufferSize = 1024 * 1024;

    /// <summary>Unsent output at which the application's flush waits for the socket.</summary>
    public const long MaxWriteBufferSize = 64 * 1024;

    private readonly ILogger _logger;
    private readonly PipeOptions _inputOptions;
    private readonly PipeOptions _outputOptions;
    private readonly Action _release;
    private int _live;
    private int _retired;
    private int _disposed;

    public BufferPoolGeneration(ILogger logger)
    {
        _logger = logger;
        _inputOptions = PipeOptionsPausingAt(MaxReadBufferSize);
        _outputOptions = PipeOptionsPausingAt(MaxWriteBufferSize);
        _release = Release;
    }

    /// <summary>The blocks of this generation's connections.</summary>
    public PinnedBlockPool Pool { get; } = new();

    /// <summary>Connections made by this generation and not ended yet.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>Wraps an accepted socket in a running connection whose buffers come from this generation's pool.</summary>
    public ConnectionContext Create(Socket socket)
    {
        Interlocked.Increment(ref _live);
        SocketConnection connection;
        try
        {
            connection = new SocketConnection(socket, Pool, _inputOptions, _outputOptions, _logger, _release);
        }
        catch
        {
            Release();
            throw;
        }

        connection.Start();
        return connection;
    }

    /// <summary>No new connections come from this generation; it is disposed as soon as it has none left.</summary>
    public void Retire()
    {
        Volatile.Write(ref _retired, 1);
        DisposeIfDone();
    }

    private void Release()
    {
        Interlocked.Decrement(ref _live);
        DisposeIfDone();
    }

    private void DisposeIfDone()
    {
        if (Volatile.Read(ref _retired) == 1 && Volatile.Read(ref _live) == 0 && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Pool.Dispose();
        }
    }

    /// <summary>Options for a pipe of this generation whose writer waits once <paramref name="pause"/> bytes are unread.</summary>
    private PipeOptions PipeOptionsPausingAt(long pause) => new(
        Pool,
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.ThreadPool,
        pauseWriterThreshold: pause,
        resumeWriterThreshold: pause / 2,
        minimumSegmentSize: PinnedBlockPool.SmallestBlock,
        useSynchronizationContext: false);
}
