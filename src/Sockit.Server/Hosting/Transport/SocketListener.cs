using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Transport;

/// <summary>One listening socket: accepts, hands each socket to Kestrel's connection factory, and backs off when out of descriptors.</summary>
internal sealed class SocketListener : IConnectionListener
{
    private readonly Socket _socket;
    private readonly Func<CancellationToken, ValueTask<Socket>> _accept;
    private readonly Func<Socket, ConnectionContext> _createConnection;
    private readonly AcceptBackoff _backoff;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _unbound = new();

    public SocketListener(
        Socket socket,
        Func<CancellationToken, ValueTask<Socket>> accept,
        Func<Socket, ConnectionContext> createConnection,
        AcceptBackoff backoff,
        TimeProvider clock,
        ILogger logger)
    {
        _socket = socket;
        _accept = accept;
        _createConnection = createConnection;
        _backoff = backoff;
        _clock = clock;
        _logger = logger;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    /// <summary>How many times accepting has had to wait for a descriptor (for tests and diagnostics).</summary>
    public int Backoffs { get; private set; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        var wait = TimeSpan.Zero;
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _accept(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException
                || ex is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                // Unbound or disposed: no more connections.
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors (EMFILE, ENFILE) or kernel memory: the pending client stays in the backlog until
                // connections close. Retrying at once would spin; waiting keeps the other connections served.
                wait = _backoff.Next(wait);
                Backoffs++;
                TransportLog.AcceptBackingOff(_logger, EndPoint.ToString() ?? "?", ex.SocketErrorCode.ToString(), wait.TotalMilliseconds);
                if (!await DelayAsync(wait, linked.Token).ConfigureAwait(false))
                {
                    return null;
                }

                continue;
            }
            catch (SocketException ex)
            {
                // A client that reset while waiting in the backlog: take the next one.
                TransportLog.AcceptFailed(_logger, ex.SocketErrorCode.ToString());
                continue;
            }

            if (wait > TimeSpan.Zero)
            {
                TransportLog.AcceptResumed(_logger, EndPoint.ToString() ?? "?");
                wait = TimeSpan.Zero;
            }

            if (accepted.LocalEndPoint is IPEndPoint)
            {
                accepted.NoDelay = true;
                TcpKeepAlive.Enable(accepted);
            }

            return _createConnection(accepted);
        }
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await _unbound.CancelAsync().ConfigureAwait(false);
        Close();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _unbound.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        _socket.Dispose();

        // A Unix socket's file outlives its socket; leaving it would make the next start find a stale file.
        if (EndPoint is UnixDomainSocketEndPoint unix && unix.ToString() is { Length: > 0 } path && path[0] != '\0' && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
