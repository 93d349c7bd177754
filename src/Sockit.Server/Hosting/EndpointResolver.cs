using System.Net;
using System.Net.Sockets;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Hosting;

/// <summary>Turns a configured host into the IP address to bind.</summary>
internal static class EndpointResolver
{
    /// <summary>
    /// An IP literal as it is; <c>*</c> as every IPv4 address; a name through DNS (IPv4 preferred, since that
    /// is what the tutorials' clients use).
    /// </summary>
    public static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (host == "*")
        {
            return IPAddress.Any;
        }

        if (IPAddress.TryParse(host, out var ip))
        {
            return ip;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SockitException(SockitErrorCode.HostNotFound, $"cannot resolve '{host}' to listen on: {ex.Message}", ex);
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SockitException(SockitErrorCode.HostNotFound, $"'{host}' has no address to listen on");
    }
}
