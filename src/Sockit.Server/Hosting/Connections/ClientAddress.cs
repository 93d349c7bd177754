using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// The address a client is counted by, for connection limits, login throttling and UDP reply budgets. An IPv4 address
/// counts as itself; an IPv6 address by its /64 network, since one subscriber is usually handed a whole /64 and could
/// otherwise take a fresh address for every connection or guess. Unix-socket clients all count as <c>local</c>.
/// </summary>
internal static class ClientAddress
{
    private const int IPv6NetworkBytes = 8;

    /// <summary>The key <paramref name="connection"/>'s client is counted by.</summary>
    public static string Of(ConnectionContext connection) => connection.RemoteEndPoint switch
    {
        IPEndPoint ip => Display(GroupOf(ip.Address)),
        _ => "local",
    };

    /// <summary>
    /// <paramref name="address"/> as counted: IPv4 (also when mapped into IPv6) as it is, IPv6 loopback as it is, any
    /// other IPv6 address with its last 64 bits cleared.
    /// </summary>
    public static IPAddress GroupOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[IPv6NetworkBytes..].Clear();
        return new IPAddress(bytes);
    }

    private static string Display(IPAddress group) =>
        group.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(group) ? $"{group}/64" : group.ToString();
}
