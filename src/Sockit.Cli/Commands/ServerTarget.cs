using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.Client.Tls;
using Sockit.Client.Udp;
using Sockit.Protocol.Addressing;

namespace Sockit.Cli.Commands;

/// <summary>Where a client verb sends its requests and how long it waits.</summary>
/// <param name="Address">The server; a <c>udp://</c> address means the tutorial's UDP service.</param>
/// <param name="Timeout">Connect and reply timeout; <see langword="null"/> keeps the library's defaults.</param>
internal readonly record struct ServerTarget(SockitAddress Address, TimeSpan? Timeout)
{
    /// <summary>How to trust a <c>tls://</c> server.</summary>
    public SockitTlsOptions Tls { get; init; } = SockitTlsOptions.Default;

    public bool IsUdp => Address.Scheme == AddressScheme.Udp;

    /// <summary>Whom to log in as right after connecting; <see langword="null"/> stays anonymous.</summary>
    public SockitCredentials? Credentials { get; init; }

    public Task<SockitClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var options = Timeout is { } timeout
            ? new SockitClientOptions { ConnectTimeout = timeout, ReplyTimeout = timeout }
            : SockitClientOptions.Default;
        return SockitClient.ConnectAsync(Address, options with { Credentials = Credentials, Tls = Tls }, cancellationToken);
    }

    /// <summary>A UDP client that reports datagrams from strangers on standard error.</summary>
    public Task<SockitUdpClient> CreateUdpClientAsync(CliContext context, CancellationToken cancellationToken)
    {
        var options = new SockitUdpClientOptions
        {
            OnIgnoredDatagram = ignored => context.Error.WriteLine(
                $"sockit: ignored a {ignored.Length}-byte datagram from {ignored.Sender}: it did not come from the server"),
        };
        if (Timeout is { } timeout)
        {
            options = options with { ReplyTimeout = timeout };
        }

        return SockitUdpClient.CreateAsync(Address, options, cancellationToken);
    }
}
