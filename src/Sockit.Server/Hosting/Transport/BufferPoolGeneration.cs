using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// One <see cref="SocketConnectionContextFactory"/> and the connections it made. The factory owns the buffer pool its
/// connections read and write through, and that pool keeps every block it ever handed out; disposing the factory once
/// it is retired and its last connection has closed is what lets the memory of a past burst go.
/// </summary>
internal sealed class BufferPoolGeneration
{
    private readonly SocketConnectionContextFactory _factory;
    private int _live;
    private int _retired;
    private int _disposed;

    public BufferPoolGeneration(SocketConnectionContextFactory factory)
    {
        _factory = factory;
    }

    /// <summary>Connections made by this generation and not closed yet.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>Wraps an accepted socket in a connection whose buffers come from this generation's pool.</summary>
    public ConnectionContext Create(Socket socket)
    {
        Interlocked.Increment(ref _live);
        ConnectionContext connection;
        try
        {
            connection = _factory.Create(socket);
        }
        catch
        {
            Release();
            throw;
        }

        connection.ConnectionClosed.UnsafeRegister(static state => ((BufferPoolGeneration)state!).Release(), this);
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
            _factory.Dispose();
        }
    }
}
