using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// Sockit's socket transport for Kestrel's connection layer. Its accept loop survives running out of descriptors:
/// Kestrel's own retries a failed accept at once, so on <c>EMFILE</c> it spins at full CPU while the pending clients
/// wait unanswered; this one backs off and keeps serving the connections it has. Its connections
/// (<see cref="SocketConnection"/>) size their receives to the traffic instead of Kestrel's fixed 4 KiB.
/// </summary>
internal sealed class SocketListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    /// <summary>The listen backlog, as Kestrel's default.</summary>
    public const int Backlog = 512;

    private readonly ILogger _logger;
    private readonly Lock _renewing = new();
    private BufferPoolGeneration _current;

    public SocketListenerFactory(ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("Sockit.Server.Hosting.Transport");
        _current = NewGeneration();
    }

    /// <summary>
    /// Starts a fresh buffer pool for new connections and retires the current one, which is released once its
    /// connections have closed. A pool keeps up to its bound of returned blocks, so this is how a quiet server hands
    /// back the buffers a burst of connections filled.
    /// </summary>
    /// <returns>How many connections still hold the retired pool.</returns>
    public int RenewBufferPool()
    {
        BufferPoolGeneration retired;
        lock (_renewing)
        {
            retired = _current;
            _current = NewGeneration();
        }

        retired.Retire();
        return retired.Live;
    }

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint or DnsEndPoint or UnixDomainSocketEndPoint;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is DnsEndPoint named)
        {
            endpoint = new IPEndPoint(await EndpointResolver.ResolveAsync(named.Host, cancellationToken).ConfigureAwait(false), named.Port);
        }

        var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint is IPEndPoint ip && ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(Backlog);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(ex.Message, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var accept = (CancellationToken token) => socket.AcceptAsync(token);
        return new SocketListener(socket, accept, CreateConnection, AcceptBackoff.Default, TimeProvider.System, _logger);
    }

    public void Dispose() => _current.Retire();

    private ConnectionContext CreateConnection(Socket socket) => Volatile.Read(ref _current).Create(socket);

    private BufferPoolGeneration NewGeneration() => new(_logger);
}
