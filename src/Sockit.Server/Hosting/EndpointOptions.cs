using Sockit.Server.Tls;

namespace Sockit.Server.Hosting;

/// <summary>One listening endpoint, as configured under <c>Sockit:Endpoints:NAME</c>.</summary>
public sealed class EndpointOptions
{
    /// <summary>
    /// Where to listen: <c>tcp://host:port</c>, <c>tls://host:port</c>, <c>udp://host:port</c> or <c>unix:/path</c>.
    /// Port 0 picks a free port.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>What the endpoint serves.</summary>
    public ServiceKind Service { get; set; } = ServiceKind.Framed;

    /// <summary>
    /// When <see langword="true"/>, a TCP endpoint with an IPv6 address is skipped on a machine whose OS has
    /// no IPv6, instead of stopping the server; <c>sockit serve</c> lists only the endpoints it listens on.
    /// </summary>
    public bool Optional { get; set; }

    /// <summary>The certificate of a <c>tls://</c> endpoint, when it is not the server-wide <c>Sockit:Tls</c> one.</summary>
    public ServerTlsOptions? Tls { get; set; }
}
