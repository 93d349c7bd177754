using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Sockit.Client;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands;

/// <summary>
/// The <c>--server</c>, <c>--udp</c> and <c>--timeout</c> options every client verb shares, and how they combine
/// into a <see cref="ServerTarget"/>.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>Names the framed server when <c>--server</c> is not given.</summary>
    public const string EnvironmentVariable = "SOCKIT_SERVER";

    /// <summary>The framed server's default address.</summary>
    public const string DefaultFramedAddress = "127.0.0.1:9000";

    private readonly SockitAddress? _udpDefault;

    /// <param name="udpDefault">
    /// The verb's UDP service, used with <c>--udp</c> and no <c>--server</c>; <see langword="null"/> for a verb of the
    /// framed protocol only, which then offers no <c>--udp</c>.
    /// </param>
    /// <param name="connectTimeoutOnly">
    /// Whether the wait is spelled <c>--connect-timeout</c>: for verbs whose own <c>--timeout</c> bounds a remote command,
    /// and whose <c>-t</c> asks for a terminal, as with <c>ssh</c>.
    /// </param>
    public ServerOptions(SockitAddress? udpDefault, bool connectTimeoutOnly = false)
    {
        _udpDefault = udpDefault;
        Server = new Option<string?>("--server", "-s")
        {
            Description = udpDefault is null
                ? $"Server address: host:port, tcp://host:port, tls://host:port, [::1]:port or unix:/path "
                    + $"(default: ${EnvironmentVariable}, else {DefaultFramedAddress})"
                : $"Server address: host:port, tcp://host:port, tls://host:port, [::1]:port, unix:/path or udp://host:port "
                    + $"(default: ${EnvironmentVariable}, else {DefaultFramedAddress}; with --udp: {udpDefault})",
            HelpName = "ADDRESS",
        };
        Udp = udpDefault is null ? null : new Option<bool>("--udp")
        {
            Description = $"Talk to the tutorial's UDP service instead of the framed protocol (default {udpDefault})",
        };
        Timeout = connectTimeoutOnly
            ? new Option<double?>("--connect-timeout")
            {
                Description = "Seconds to wait for the connection and the login; 0 waits forever",
                HelpName = "SECONDS",
                CustomParser = result => ParseSeconds(result, "--connect-timeout"),
            }
            : new Option<double?>("--timeout", "-t")
            {
                Description = "Seconds to wait for the connection and for each reply; 0 waits forever",
                HelpName = "SECONDS",
                CustomParser = result => ParseSeconds(result, "--timeout"),
            };
    }

    public Option<string?> Server { get; }

    /// <summary><c>--udp</c>; <see langword="null"/> for a verb of the framed protocol only.</summary>
    public Option<bool>? Udp { get; }

    public Option<double?> Timeout { get; }

    /// <summary>How to log in.</summary>
    public CredentialOptions Credentials { get; } = new();

    /// <summary>How to trust a <c>tls://</c> server.</summary>
    public TlsClientOptions Tls { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        if (Udp is not null)
        {
            command.Options.Add(Udp);
        }

        command.Options.Add(Timeout);
        Tls.AddTo(command);
        Credentials.AddTo(command);
    }

    /// <summary>
    /// Works out where to send, how long to wait and whom to log in as. A verb that <paramref name="needsLogin"/> also
    /// uses saved logins and, on this machine, the local login key; others log in only when asked to.
    /// </summary>
    public async Task<ServerTarget> ResolveAsync(
        ParseResult parseResult, CliContext context, bool needsLogin, CancellationToken cancellationToken)
    {
        var target = Resolve(parseResult, context);
        if (target.IsUdp)
        {
            return target;
        }

        var credentials = needsLogin
            ? await Credentials.ResolveAsync(parseResult, context, target.Address, cancellationToken).ConfigureAwait(false)
            : await Credentials.ResolveExplicitAsync(parseResult, context, target.Address, cancellationToken).ConfigureAwait(false);
        return target with { Credentials = credentials };
    }

    // The parser's own conversion follows the current culture and accepts NaN and negatives; seconds are neither.
    private static double? ParseSeconds(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds)
            && seconds >= 0)
        {
            return seconds;
        }

        result.AddError($"{name} takes a number of seconds, 0 or more, not '{text}'");
        return null;
    }

    /// <summary>Works out where to send, how long to wait and how to trust a TLS server.</summary>
    /// <exception cref="SockitException">With <see cref="SockitErrorCode.InvalidAddress"/>.</exception>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="context">Where the environment comes from.</param>
    /// <param name="given">An address given as an argument, which wins over <c>--server</c>.</param>
    public ServerTarget Resolve(ParseResult parseResult, CliContext context, string? given = null)
    {
        var target = ResolveAddress(parseResult, context, given);
        return _udpDefault is null && target.IsUdp
            ? throw new SockitException(
                SockitErrorCode.InvalidAddress, $"this command speaks the framed protocol, not UDP: {target.Address} will not do")
            : target with { Tls = Tls.Resolve(parseResult, context) };
    }

    private ServerTarget ResolveAddress(ParseResult parseResult, CliContext context, string? given)
    {
        var seconds = parseResult.GetValue(Timeout);
        TimeSpan? timeout = seconds switch
        {
            null => null,
            0 => System.Threading.Timeout.InfiniteTimeSpan,
            _ => TimeSpan.FromSeconds(seconds.Value),
        };

        var server = given ?? parseResult.GetValue(Server);
        if (Udp is not null && _udpDefault is { } udpDefault && parseResult.GetValue(Udp))
        {
            var address = server is null ? udpDefault : SockitAddress.Parse(server, AddressScheme.Udp, udpDefault.Port);
            if (address.Scheme != AddressScheme.Udp)
            {
                throw new SockitException(
                    SockitErrorCode.InvalidAddress, $"--udp needs a UDP address, not {address}");
            }

            return new ServerTarget(address, timeout);
        }

        if (server is not null)
        {
            // A udp:// address speaks for itself: no need to add --udp as well.
            return new ServerTarget(SockitAddress.Parse(server, AddressScheme.Tcp, SockitClient.DefaultPort), timeout);
        }

        var fromEnvironment = context.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new ServerTarget(SockitAddress.Parse(DefaultFramedAddress), timeout);
        }

        if (!SockitAddress.TryParse(fromEnvironment, AddressScheme.Tcp, SockitClient.DefaultPort, out var configured, out var error))
        {
            throw new SockitException(SockitErrorCode.InvalidAddress, $"{EnvironmentVariable}: {error}");
        }

        return new ServerTarget(configured, timeout);
    }
}
