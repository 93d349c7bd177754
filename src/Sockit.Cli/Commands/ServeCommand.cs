using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit serve [--config FILE] [--listen SERVICE=URL]... [--set KEY=VALUE]... [--log-level LEVEL]</c>.</summary>
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
            Description = "Serve SERVICE (framed, upper-echo, time) on URL (tcp://host:port, udp://host:port, unix:/path). "
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
        var command = new Command("serve", "Run the Sockit server (framed protocol, upper-echo and time services).");
        command.Options.Add(config);
        command.Options.Add(listen);
        command.Options.Add(set);
        command.Options.Add(logLevel);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            token => RunAsync(
                context,
                new SockitServerSettings
                {
                    ConfigFile = parseResult.GetValue(config)?.FullName,
                    Listen = parseResult.GetValue(listen) ?? [],
                    Overrides = ParseSettings(parseResult.GetValue(set) ?? []),
                    LogLevel = parseResult.GetValue(logLevel),
                },
                token),
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
