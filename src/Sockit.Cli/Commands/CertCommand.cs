using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Tls;
using Sockit.Server.Tls;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit cert HOST [HOST...] [--out DIR] [--days N] [--force]</c>: a self-signed certificate for <c>serve --cert</c>.</summary>
internal static class CertCommand
{
    /// <summary>The port the printed commands use.</summary>
    private const int ExamplePort = 9443;

    public static Command Create(CliContext context)
    {
        var hosts = new Argument<string[]>("host")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Host names or IP addresses clients will connect to; the first also names the files",
        };
        var output = new Option<DirectoryInfo?>("--out", "-o")
        {
            Description = "Folder to write HOST.crt and HOST.key in (default: the current folder)",
            HelpName = "DIR",
        };
        var days = new Option<int>("--days")
        {
            Description = "Days the certificate is valid",
            DefaultValueFactory = _ => 825,
            HelpName = "N",
        };
        days.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--days must be at least 1");
            }
        });
        var force = new Option<bool>("--force", "-f") { Description = "Replace HOST.crt and HOST.key if they exist" };
        var command = new Command("cert", "Create a self-signed TLS certificate and key for 'sockit serve --cert'.");
        command.Arguments.Add(hosts);
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(force);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            _ => RunAsync(
                context,
                parseResult.GetValue(hosts) ?? [],
                parseResult.GetValue(output)?.FullName ?? Directory.GetCurrentDirectory(),
                parseResult.GetValue(days),
                parseResult.GetValue(force)),
            cancellationToken));
        return command;
    }

    private static async Task<ExitCode> RunAsync(CliContext context, string[] hosts, string folder, int days, bool force)
    {
        if (!Directory.Exists(folder))
        {
            // Owner-only, like the key that goes into it: '--out certs' should just work.
            Protocol.Files.OwnerOnlyFile.EnsureDirectory(folder);
        }

        using var certificate = SelfSignedCertificate.Create(hosts, days);
        var name = hosts[0].Trim('[', ']').Replace(':', '_');
        var crt = Path.Combine(folder, name + ".crt");
        var key = Path.Combine(folder, name + ".key");
        SelfSignedCertificate.WritePem(certificate, crt, key, force);

        var fingerprint = CertificateFingerprint.Format(certificate);
        var host = hosts[0].Trim('[', ']');
        var connectHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var output = context.Output;
        await output.WriteLineAsync($"certificate  {crt}").ConfigureAwait(false);
        await output.WriteLineAsync($"private key  {key} (readable by you only)").ConfigureAwait(false);
        await output.WriteLineAsync($"SHA-256      {fingerprint}").ConfigureAwait(false);
        await output.WriteLineAsync($"valid until  {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("serve with:").ConfigureAwait(false);
        await output.WriteLineAsync($"  sockit serve --listen framed=tls://{ListenHost(host)}:{ExamplePort} --cert {Quote(crt)} --key {Quote(key)}").ConfigureAwait(false);
        await output.WriteLineAsync("connect with:").ConfigureAwait(false);
        await output.WriteLineAsync($"  sockit echo --server tls://{connectHost}:{ExamplePort} --fingerprint {fingerprint} hello").ConfigureAwait(false);
        return ExitCode.Ok;
    }

    // Loopback names stay on loopback, like the server's defaults; a certificate for another name is meant for other machines.
    private static string ListenHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1"
        : IPAddress.TryParse(host, out var ip) ? (ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host)
        : "0.0.0.0";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
