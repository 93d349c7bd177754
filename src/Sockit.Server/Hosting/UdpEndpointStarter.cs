using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Sockit.Protocol.Addressing;

namespace Sockit.Server.Hosting;

/// <summary>Runs a UDP endpoint's service; when its socket cannot be bound, the error names the endpoint.</summary>
internal sealed class UdpEndpointStarter : IHostedService, IDisposable
{
    private readonly IHostedService _endpoint;
    private readonly SockitAddress _address;

    public UdpEndpointStarter(SockitAddress address, IHostedService endpoint)
    {
        _endpoint = endpoint;
        _address = address;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _endpoint.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw ListenFailure.FromSocket(ex, _address.ToString());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _endpoint.StopAsync(cancellationToken);

    public void Dispose() => (_endpoint as IDisposable)?.Dispose();
}
