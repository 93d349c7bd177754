using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Sockit.Server.Hosting.Connections;

/// <summary>Tells an ordinary disconnect (the peer vanished) from a real failure.</summary>
internal static class ConnectionFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> only says the peer went away: a reset, an abort, a write to a
    /// closed socket, or cancellation because the connection closed. These are normal events, logged at Debug.
    /// </summary>
    public static bool IsAbruptDisconnect(Exception exception) => exception switch
    {
        ConnectionResetException or ConnectionAbortedException => true,
        OperationCanceledException => true,
        SocketException => true,
        IOException io => io.InnerException is null || IsAbruptDisconnect(io.InnerException),
        _ => false,
    };
}
