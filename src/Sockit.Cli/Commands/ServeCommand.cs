using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit serve [--config FILE] [--listen SERVICE=URL]... [--set KEY=VALUE]... [--log-level LEVEL]
/// [--cert FILE [--key FILE] [--cert-password-stdin]]</c>.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<FileInfo?>("--config", "-c")
        {
            Description = "A JSON config file (see docs/configuration.md). Without it the embedded defaults apply.",
            HelpName = "FILE",
        };
        var listen = new Option<string[]>("--listen", "-l")
        {
            Description = "Serve SERVICE (framed, upper-echo, time) on URL (tcp://host:port, tls://host:port, udp://host:port, unix:/path). "
                + "Repeatable; replaces the configured endpoints.",
            HelpName = "SERVICE=URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Set a configuration key, e.g. --set Sockit:MaxConnections=100. Repeatable; wins over every other source.",
            HelpName = "KEY=VALUE",
        };
        var logLevel = new Option<LogLevel?>("--log-level")
        {
            Description = "Least severe log level written to standard error.",
            HelpName = "LEVEL",
        };
        var cert = new Option<FileInfo?>("--cert")
        {
            Description = "The TLS certificate of tls:// endpoints, PEM or PFX (sets Sockit:Tls:CertificateFile; see 'sockit cert').",
            HelpName = "FILE",
        };
        var key = new Option<FileInfo?>("--key")
        {
            Description = "The PEM private key of --cert (sets Sockit:Tls:KeyFile).",
            HelpName = "FILE",
        };
        var certPassword = new Option<bool>("--cert-password-stdin")
        {
            Description = "Read the password of the PFX file or encrypted key from the first line of standard input.",
        };
        var command = new Command("serve", "Run the Sockit server (framed protocol, upper-echo and time services).");
        command.Options.Add(config);
        command.Options.Add(listen);
        command.Options.Add(set);
        command.Options.Add(logLevel);
        command.Options.Add(cert);
        command.Options.Add(key);
        command.Options.Add(certPassword);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var overrides = ParseSettings(parseResult.GetValue(set) ?? []);

                // Paths typed on the command line are relative to where it is typed, not to the config file.
                AddSetting(overrides, "Sockit:Tls:CertificateFile", parseResult.GetValue(cert)?.FullName);
                AddSetting(overrides, "Sockit:Tls:KeyFile", parseResult.GetValue(key)?.FullName);
                if (parseResult.GetValue(certPassword))
                {
                    overrides["Sockit:Tls:Password"] = await context.Input.ReadLineAsync(token).ConfigureAwait(false);
                }

                return await RunAsync(
                    context,
                    new SockitServerSettings
                    {
                        ConfigFile = parseResult.GetValue(config)?.FullName,
                        Listen = parseResult.GetValue(listen) ?? [],
                        Overrides = overrides,
                        LogLevel = parseResult.GetValue(logLevel),
                    },
                    token).ConfigureAwait(false);
            },
            cancellationToken));
        return command;
    }

    private static async Task<ExitCode> RunAsync(CliContext context, SockitServerSettings settings, CancellationToken cancellationToken)
    {
        var server = SockitServer.Create(settings);
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync(CancellationToken.None).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"sockit {ServerVersion.Current}").ConfigureAwait(false);
            foreach (var endpoint in server.Endpoints)
            {
                await context.Output.WriteLineAsync($"listening {endpoint.Service,-10} {endpoint.Address}").ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync("ready").ConfigureAwait(false);
            await context.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            // Ctrl+C or SIGTERM arrive as cancellation; the host may also stop by itself.
            try
            {
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCode.Ok;
    }

    private static void AddSetting(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }

    private static Dictionary<string, string?> ParseSettings(IEnumerable<string> settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings)
        {
            int equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"--set '{setting}' must be KEY=VALUE");
            }

            values[setting[..equals].Trim()] = setting[(equals + 1)..];
        }

        return values;
    }
}
