using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Server.Hosting;

namespace Sockit.Cli.Commands.Serve;

/// <summary>
/// <c>sockit serve [--config FILE] [--listen SERVICE=URL]... [--set KEY=VALUE]... [--log-level LEVEL]
/// [--cert FILE [--key FILE] [--cert-password-stdin]] [--legacy-exec ADDRESS [--legacy-exec-key-file FILE]]
/// [--legacy-upload ADDRESS [--legacy-upload-key-file FILE]]</c>.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The verb's name.</summary>
    public const string Name = "serve";

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
            Description = $"Least severe log level written to standard error: {LogLevelNames}.",
            HelpName = "LEVEL",
            CustomParser = ParseLogLevel,
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
        var legacyExec = new Option<string?>("--legacy-exec")
        {
            Description = "Also run the tutorials' remote-command server on ADDRESS (tcp://127.0.0.1:8888 or unix:PATH; "
                + "sets Sockit:Exec:Legacy:Address). Its clients cannot log in: without --legacy-exec-key-file only loopback and unix: are allowed.",
            HelpName = "ADDRESS",
        };
        var legacyExecKey = new Option<FileInfo?>("--legacy-exec-key-file")
        {
            Description = "A file holding the shared key of the tutorials' HMAC challenge for --legacy-exec (its text without trailing line breaks; "
                + "sets Sockit:Exec:Legacy:HmacKey). Choose the digest with --set Sockit:Exec:Legacy:HmacDigest=md5|sha256.",
            HelpName = "FILE",
        };
        var legacyUpload = new Option<string?>("--legacy-upload")
        {
            Description = "Also receive the tutorials' file uploads on ADDRESS (tcp://127.0.0.1:8088 or unix:PATH; sets Sockit:Files:Legacy:Address), "
                + "storing them in Sockit:Files:Legacy:Folder. Its clients cannot log in: without --legacy-upload-key-file only loopback and unix: are allowed.",
            HelpName = "ADDRESS",
        };
        var legacyUploadKey = new Option<FileInfo?>("--legacy-upload-key-file")
        {
            Description = "A file holding the shared key of the tutorials' HMAC challenge for --legacy-upload (its text without trailing line breaks; "
                + "sets Sockit:Files:Legacy:HmacKey). Choose the digest with --set Sockit:Files:Legacy:HmacDigest=md5|sha256.",
            HelpName = "FILE",
        };
        var command = new Command(
            Name, "Run the Sockit server (framed protocol, upper-echo and time services; the legacy command and upload listeners on request).");
        command.Options.Add(config);
        command.Options.Add(listen);
        command.Options.Add(set);
        command.Options.Add(logLevel);
        command.Options.Add(cert);
        command.Options.Add(key);
        command.Options.Add(certPassword);
        command.Options.Add(legacyExec);
        command.Options.Add(legacyExecKey);
        command.Options.Add(legacyUpload);
        command.Options.Add(legacyUploadKey);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Only the real process takes the signals: the first stops the server gracefully, within its grace period.
            using var signals = context.HandleTerminationSignals ? ShutdownSignals.Listen() : null;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals?.Stop ?? CancellationToken.None);
            return await CommandRunner.RunAsync(
                context,
                async token =>
                {
                    var overrides = ParseSettings(parseResult.GetValue(set) ?? []);

                    // Paths typed on the command line are relative to where it is typed, not to the config file.
                    AddSetting(overrides, "Sockit:Tls:CertificateFile", parseResult.GetValue(cert)?.FullName);
                    AddSetting(overrides, "Sockit:Tls:KeyFile", parseResult.GetValue(key)?.FullName);
                    AddSetting(overrides, "Sockit:Exec:Legacy:Address", parseResult.GetValue(legacyExec));
                    AddSetting(overrides, "Sockit:Files:Legacy:Address", parseResult.GetValue(legacyUpload));
                    if (parseResult.GetValue(legacyExecKey) is { } keyFile)
                    {
                        overrides["Sockit:Exec:Legacy:HmacKey"] = await ReadKeyFileAsync(legacyExecKey.Name, keyFile, token).ConfigureAwait(false);
                    }

                    if (parseResult.GetValue(legacyUploadKey) is { } uploadKeyFile)
                    {
                        overrides["Sockit:Files:Legacy:HmacKey"] = await ReadKeyFileAsync(legacyUploadKey.Name, uploadKeyFile, token).ConfigureAwait(false);
                    }

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
                            ConfigureServices = signals is null ? null : services => services.AddSingleton<IHostLifetime, SignalFreeLifetime>(),
                        },
                        signals,
                        token).ConfigureAwait(false);
                },
                stop.Token).ConfigureAwait(false);
        });
        return command;
    }

    private static string LogLevelNames => string.Join(", ", Enum.GetNames<LogLevel>());

    private static async Task<ExitCode> RunAsync(
        CliContext context, SockitServerSettings settings, ShutdownSignals? signals, CancellationToken cancellationToken)
    {
        var server = SockitServer.Create(settings);
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            await context.Output.WriteLineAsync($"sockit {ServerVersion.Current}").ConfigureAwait(false);
            foreach (var endpoint in server.Endpoints)
            {
                await context.Output.WriteLineAsync($"listening {endpoint.Service,-10} {endpoint.Address}").ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync("ready").ConfigureAwait(false);
            await context.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            // A signal (or the caller) cancels the token; the host may also be asked to stop by itself. Not the host's
            // WaitForShutdownAsync: that stops the server too, before StopAsync below could log what is going on.
            var stopping = server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping))
            {
                await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await StopAsync(server, signals).ConfigureAwait(false);
        }

        // Ctrl+C is a cancellation, as for every verb. SIGTERM is how service managers ask for a stop, and a stop that
        // was asked for and carried out is a success to them (systemd counts an exit code of 143 as a failure).
        return signals?.First == PosixSignal.SIGINT ? ExitCode.Cancelled : ExitCode.Ok;
    }

    /// <summary>Stops the server within its grace period, or at once on a second signal, and logs how it went.</summary>
    private static async Task StopAsync(SockitServer server, ShutdownSignals? signals)
    {
        var logger = server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sockit.Cli.Serve");
        var grace = server.Options.ShutdownTimeout;
        var reason = signals?.First?.ToString() ?? "asked to stop";
        ServeLog.Stopping(logger, reason, server.OpenConnections, grace.TotalSeconds);
        var stopNow = signals?.StopNow ?? CancellationToken.None;
        using var hurry = stopNow.UnsafeRegister(_ => ServeLog.StoppingNow(logger, reason), null);

        // The host gives requests in progress up to the grace period, then closes what is still open.
        var started = Stopwatch.GetTimestamp();
        await server.StopAsync(stopNow).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= grace && !stopNow.IsCancellationRequested)
        {
            ServeLog.GraceExpired(logger, grace.TotalSeconds);
        }

        ServeLog.Stopped(logger, elapsed.TotalSeconds);
    }

    // The parser's own enum error spreads the names over several lines and takes numbers too.
    private static LogLevel? ParseLogLevel(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (Enum.GetNames<LogLevel>().FirstOrDefault(name => name.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<LogLevel>(name);
        }

        result.AddError($"--log-level takes one of {LogLevelNames}, not '{text}'");
        return null;
    }

    /// <summary>The key as the tutorials write it, <c>secret_key = b'...'</c>: the file's text, without the newline an editor ends it with.</summary>
    private static async Task<string> ReadKeyFileAsync(string option, FileInfo file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{option}: cannot read {file.FullName}: {ex.Message}", ex);
        }

        var key = text.TrimEnd('\r', '\n');
        return key.Length > 0
            ? key
            : throw new SockitException(SockitErrorCode.InvalidArgument, $"{option}: {file.FullName} is empty");
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
