using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Sockit.Server.Connections;

/// <summary>The address a connection's client is counted by: its IP address without the port, or <c>local</c>.</summary>
internal static class ClientAddress
{
    /// <summary>The client's IP address (IPv4-mapped addresses as plain IPv4), or <c>local</c> for Unix sockets.</summary>
    public static string Of(ConnectionContext connection) => connection.RemoteEndPoint switch
    {
        IPEndPoint ip => ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(),
        _ => "local",
    };
}
