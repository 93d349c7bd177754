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
        if (TryParseLiteral(host, out var ip))
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

    /// <summary>An IP literal, or <c>*</c> for every IPv4 address: a host that needs no lookup.</summary>
    public static bool TryParseLiteral(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? ip)
    {
        if (host == "*")
        {
            ip = IPAddress.Any;
            return true;
        }

        return IPAddress.TryParse(host, out ip);
    }
}
