using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Tls;
using Sockit.Server.Tls;
using Sockit.LocalFiles;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit cert HOST [HOST...] [--out DIR] [--days N] [--force] [--no-loopback]</c>: a self-signed certificate for
/// <c>serve --cert</c>.
/// </summary>
internal static class CertCommand
{
    /// <summary>The port the printed commands use.</summary>
    private const int ExamplePort = 9443;

    private const string AnyAddress = "0.0.0.0";

    /// <summary>
    /// Names every certificate also carries unless told not to, so that a client on the server's own machine can
    /// connect through loopback with the name checked (what a first try, or a test, does).
    /// </summary>
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

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
        var noLoopback = new Option<bool>("--no-loopback")
        {
            Description = $"Leave out the loopback names ({string.Join(", ", LoopbackNames)}) that are otherwise added to the HOSTs",
        };
        var command = new Command("cert", "Create a self-signed TLS certificate and key for 'sockit serve --cert'.");
        command.Arguments.Add(hosts);
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(force);
        command.Options.Add(noLoopback);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            _ => RunAsync(
                context,
                parseResult.GetValue(hosts) ?? [],
                parseResult.GetValue(output)?.FullName ?? Directory.GetCurrentDirectory(),
                parseResult.GetValue(days),
                parseResult.GetValue(force),
                !parseResult.GetValue(noLoopback)),
            cancellationToken));
        return command;
    }

    private static async Task<ExitCode> RunAsync(
        CliContext context, string[] hosts, string folder, int days, bool force, bool addLoopback)
    {
        var names = addLoopback ? WithLoopback(hosts) : hosts;
        using var certificate = SelfSignedCertificate.Create(names, days);
        var name = hosts[0].Trim('[', ']').Replace(':', '_');
        var crt = Path.Combine(folder, name + ".crt");
        var key = Path.Combine(folder, name + ".key");
        Write(certificate, folder, crt, key, force);

        var fingerprint = CertificateFingerprint.Format(certificate);
        var host = hosts[0].Trim('[', ']');
        var connectHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var output = context.Output;
        await output.WriteLineAsync($"certificate  {crt}").ConfigureAwait(false);
        await output.WriteLineAsync($"private key  {key} (readable by you only)").ConfigureAwait(false);
        await output.WriteLineAsync($"names        {string.Join(", ", names)}").ConfigureAwait(false);
        await output.WriteLineAsync($"SHA-256      {fingerprint}").ConfigureAwait(false);
        await output.WriteLineAsync($"valid until  {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("serve with:").ConfigureAwait(false);
        await output.WriteLineAsync($"  sockit serve --listen framed=tls://{ListenHost(host)}:{ExamplePort} --cert {Quote(crt)} --key {Quote(key)}").ConfigureAwait(false);
        await output.WriteLineAsync("connect with:").ConfigureAwait(false);
        await output.WriteLineAsync($"  sockit echo --server tls://{connectHost}:{ExamplePort} --fingerprint {fingerprint} hello").ConfigureAwait(false);
        if (addLoopback && ListenHost(host) == AnyAddress)
        {
            // The server listens on every address, loopback included, and the certificate names localhost.
            await output.WriteLineAsync($"  sockit echo --server tls://localhost:{ExamplePort} --fingerprint {fingerprint} hello    (on this machine)")
                .ConfigureAwait(false);
        }
        return ExitCode.Ok;
    }

    private static string[] WithLoopback(string[] hosts) =>
        [.. hosts, .. LoopbackNames.Where(loopback => !hosts.Any(host => SameName(host, loopback)))];

    private static bool SameName(string host, string other)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var ip) && IPAddress.TryParse(other, out var otherIp)
            ? ip.Equals(otherIp)
            : bare.Equals(other, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the files; a folder or file that cannot be used is the user's to fix, so it is a usage error.</summary>
    private static void Write(X509Certificate2 certificate, string folder, string crt, string key, bool force)
    {
        if (File.Exists(folder))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"--out {folder} is a file; name a folder");
        }

        try
        {
            if (!Directory.Exists(folder))
            {
                // Owner-only, like the key that goes into it: '--out certs' should just work.
                OwnerOnlyFile.EnsureDirectory(folder);
            }

            SelfSignedCertificate.WritePem(certificate, crt, key, force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument, $"cannot write the certificate to {folder}: {ex.Message.TrimEnd('.')}", ex);
        }
    }

    // Loopback names stay on loopback, like the server's defaults; a certificate for another name is meant for other machines.
    private static string ListenHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1"
        : IPAddress.TryParse(host, out var ip) ? (ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host)
        : AnyAddress;

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
