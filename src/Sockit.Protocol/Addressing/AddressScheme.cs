namespace Sockit.Protocol.Addressing;

/// <summary>The transport an address names.</summary>
public enum AddressScheme
{
    /// <summary>TCP over IPv4 or IPv6.</summary>
    Tcp,

    /// <summary>UDP over IPv4 or IPv6.</summary>
    Udp,

    /// <summary>A Unix domain stream socket, named by a file system path.</summary>
    Unix,

    /// <summary>TCP over IPv4 or IPv6, with TLS around the stream.</summary>
    Tls,
}
