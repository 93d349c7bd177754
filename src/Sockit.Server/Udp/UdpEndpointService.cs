using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Addressing;
using Sockit.Server.Hosting;

namespace Sockit.Server.Udp;

/// <summary>
/// Serves one UDP endpoint: binds at start (so a bad address stops the server at once), then answers
/// datagrams one by one until the server stops.
/// </summary>
internal sealed class UdpEndpointService : IHostedService, IDisposable
{
    private readonly string _name;
    private readonly ServiceKind _service;
    private readonly SockitAddress _address;
    private readonly IDatagramHandler _handler;
    private readonly ReplyRateLimiter _replyLimiter;
    private readonly EndpointRegistry _registry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task _loop = Task.CompletedTask;

    public UdpEndpointService(
        string name,
        ServiceKind service,
        SockitAddress address,
        IDatagramHandler handler,
        ReplyRateLimiter replyLimiter,
        EndpointRegistry registry,
        ILogger logger)
    {
        _name = name;
        _service = service;
        _address = address;
        _handler = handler;
        _replyLimiter = replyLimiter;
        _registry = registry;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ip = await EndpointResolver.ResolveAsync(_address.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(ip, _address.Port));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw ListenFailure.FromSocket(ex, _address.ToString());
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _registry.Add(new BoundEndpoint(_name, _service, _address with { Port = bound.Port }));
        _loop = Task.Run(() => ServeAsync(socket, _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();

        // The loop ends as soon as its socket is gone; waiting on the host's (possibly already expired)
        // shutdown token here would turn a clean stop into an error.
        await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _stopping.Dispose();
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        var request = new byte[UdpLimits.MaxDatagram];
        var scratch = new byte[UdpLimits.MaxDatagram];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        string endpoint = _address.ToString();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(request, SocketFlags.None, any, stopping).ConfigureAwait(false);
                UdpLog.Received(_logger, received.ReceivedBytes, received.RemoteEndPoint.ToString()!, endpoint);
                if (!_replyLimiter.TryTake(((IPEndPoint)received.RemoteEndPoint).Address))
                {
                    // Silence, not an error datagram: any answer would itself go to the (possibly forged) source.
                    UdpLog.RateLimited(_logger, endpoint, received.RemoteEndPoint.ToString()!);
                    continue;
                }

                ReadOnlyMemory<byte> reply;
                try
                {
                    reply = _handler.Handle(request.AsSpan(0, received.ReceivedBytes), scratch);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    UdpLog.HandlerFailed(_logger, endpoint, ex);
                    continue;
                }

                await socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A peer's ICMP "port unreachable" surfaces here on some systems; it concerns that peer only.
                UdpLog.SocketError(_logger, endpoint, ex.SocketErrorCode.ToString());
            }
        }
    }
}
