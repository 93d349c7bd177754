using System.Net.Sockets;

namespace Sockit.Server.Hosting.Transport;

/// <summary>
/// TCP keep-alive for accepted connections. A client that vanishes without a FIN or a reset (its machine gone, its
/// network cut) would otherwise hold its session for ever: its commands running until their timeout, its uploads'
/// targets busy. Probed after a minute of silence, such a peer is noticed within about two; a live client answers the
/// probes from its kernel, however long it stays quiet.
/// </summary>
internal static class TcpKeepAlive
{
    /// <summary>Seconds of silence before the first probe.</summary>
    public const int IdleSeconds = 60;

    /// <summary>Seconds between unanswered probes.</summary>
    public const int IntervalSeconds = 10;

    /// <summary>Unanswered probes after which the connection is reset.</summary>
    public const int Probes = 5;

    /// <summary>Turns keep-alive on for <paramref name="socket"/>, a TCP socket.</summary>
    public static void Enable(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, IdleSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, IntervalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, Probes);
    }
}
