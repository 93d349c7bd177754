namespace Sockit.Server.Hosting;

/// <summary>The embedded defaults: what <c>sockit serve</c> does with no configuration at all.</summary>
public static class DefaultConfiguration
{
    /// <summary>
    /// The framed protocol on 9000 (IPv4 and, where the OS has it, IPv6), the tutorials' raw TCP upper-echo
    /// on 9001, UDP upper-echo on 9000 and the UDP time server on 9002. Loopback only: exposing a server on
    /// a network is a decision for the operator's configuration.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Sockit:Endpoints:framed:Url"] = "tcp://127.0.0.1:9000",
        ["Sockit:Endpoints:framed:Service"] = nameof(ServiceKind.Framed),
        ["Sockit:Endpoints:framed-ipv6:Url"] = "tcp://[::1]:9000",
        ["Sockit:Endpoints:framed-ipv6:Service"] = nameof(ServiceKind.Framed),
        ["Sockit:Endpoints:framed-ipv6:Optional"] = "true",
        ["Sockit:Endpoints:echo-tcp:Url"] = "tcp://127.0.0.1:9001",
        ["Sockit:Endpoints:echo-tcp:Service"] = nameof(ServiceKind.UpperEcho),
        ["Sockit:Endpoints:echo-udp:Url"] = "udp://127.0.0.1:9000",
        ["Sockit:Endpoints:echo-udp:Service"] = nameof(ServiceKind.UpperEcho),
        ["Sockit:Endpoints:time-udp:Url"] = "udp://127.0.0.1:9002",
        ["Sockit:Endpoints:time-udp:Service"] = nameof(ServiceKind.Time),
    };
}
