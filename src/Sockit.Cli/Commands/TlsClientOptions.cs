using System.CommandLine;
using System.CommandLine.Parsing;
using Sockit.Client.Tls;
using Sockit.LocalFiles;
using Sockit.Protocol.Tls;

namespace Sockit.Cli.Commands;

/// <summary>
/// The <c>--fingerprint</c>, <c>--accept-new</c> and <c>--known-hosts</c> options of every client verb: how to
/// trust a <c>tls://</c> server whose certificate the system does not vouch for.
/// </summary>
internal sealed class TlsClientOptions
{
    /// <summary>Names the known-hosts file when <c>--known-hosts</c> is not given.</summary>
    public const string EnvironmentVariable = "SOCKIT_KNOWN_HOSTS";

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = "For tls:// servers: trust exactly the certificate with this SHA-256 fingerprint (as 'sockit cert' prints it)",
        HelpName = "SHA256",
        CustomParser = ParseFingerprint,
    };

    public Option<bool> AcceptNew { get; } = new("--accept-new")
    {
        Description = "For tls:// servers: trust a server the known-hosts file does not list yet, and remember it, without asking",
    };

    public Option<string?> KnownHosts { get; } = new("--known-hosts")
    {
        Description = $"The known-hosts file (default: ${EnvironmentVariable}, else known_hosts in ~/.config/sockit)",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Fingerprint);
        command.Options.Add(AcceptNew);
        command.Options.Add(KnownHosts);
    }

    /// <summary>The client's TLS options; at a terminal, an unknown server is shown and the user asked.</summary>
    public SockitTlsOptions Resolve(ParseResult parseResult, CliContext context) => new()
    {
        Fingerprint = parseResult.GetValue(Fingerprint),
        AcceptNew = parseResult.GetValue(AcceptNew),
        KnownHostsFile = parseResult.GetValue(KnownHosts) ?? DefaultKnownHosts(context),
        OnUnknownCertificate = context.Confirm is { } confirm
            ? unknown => confirm(
                $"The certificate of {unknown.HostPort} is not known. SHA-256 fingerprint: {unknown.Fingerprint}. "
                + $"Trust it and remember it in {unknown.KnownHostsFile}? [y/N] ")
            : null,
    };

    private static string DefaultKnownHosts(CliContext context) =>
        context.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(ConfigDirectory.Resolve(context.GetEnvironmentVariable), "known_hosts");

    private static string? ParseFingerprint(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (CertificateFingerprint.TryParse(text, out _))
        {
            return text;
        }

        result.AddError($"--fingerprint takes a SHA-256 fingerprint (64 hex digits, colons optional), not '{text}'");
        return null;
    }
}
