using System.Security.Cryptography;
using Sockit.Client;
using Sockit.Client.Tls;
using Sockit.Client.Udp;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

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
    public PendingCredentials? Credentials { get; init; }

    /// <summary>
    /// Connects and logs in. A password still to be typed is asked for only once the server has answered: typing it
    /// for a server that is down, or is not a sockit server, would be typing it in vain.
    /// </summary>
    public async Task<SockitClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Credentials is not null)
        {
            // A login hashes, and so does every transfer. The platform's crypto library takes tens of milliseconds to
            // load and initialise the first time: another core does that while the connection is being made.
            _ = Task.Run(static () => SHA256.HashData(ReadOnlySpan<byte>.Empty));
        }

        var options = (Timeout is { } timeout
            ? new SockitClientOptions { ConnectTimeout = timeout, ReplyTimeout = timeout }
            : SockitClientOptions.Default) with { Tls = Tls };
        if (Credentials is not { NeedsAsking: true } pending)
        {
            var known = Credentials is null ? null : await Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            return await SockitClient.ConnectAsync(Address, options with { Credentials = known }, cancellationToken)
                .ConfigureAwait(false);
        }

        var client = await SockitClient.ConnectAsync(Address, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var credentials = await pending.GetAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await client.LoginAsync(credentials, cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch (SockitException ex) when (IsGone(ex))
            {
                // The server gave up on the connection while the password was being typed (its login deadline):
                // a new one, with the password at hand, logs in at once.
                await client.DisposeAsync().ConfigureAwait(false);
                return await SockitClient.ConnectAsync(Address, options with { Credentials = credentials }, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsGone(SockitException exception) =>
        exception.Code == SockitErrorCode.LoginTimeout
        || exception.Code == SockitErrorCode.ConnectionClosed
        || exception.Code == SockitErrorCode.NetworkError;

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
