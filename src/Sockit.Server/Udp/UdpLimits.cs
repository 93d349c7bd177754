namespace Sockit.Server.Udp;

/// <summary>Sizes that bound a UDP datagram.</summary>
public static class UdpLimits
{
    /// <summary>The largest datagram a socket can receive (the 16-bit UDP length field).</summary>
    public const int MaxDatagram = 65_535;

    /// <summary>The largest payload IPv4 can carry in one datagram (65,535 less the IP and UDP headers).</summary>
    public const int MaxPayload = 65_507;
}
