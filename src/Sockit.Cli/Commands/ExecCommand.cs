using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Sockit.Cli.Commands.Remote;
using Sockit.Client.Exec;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit exec [-s SERVER] [login options] [--timeout SECONDS] [--cwd DIR] [--env NAME=VALUE]... [--encoding NAME]
/// [--pty] [--] COMMAND [ARG...]</c>: runs a command line on the server as <c>ssh host COMMAND</c> does. Its output
/// comes out here byte for byte, standard error apart; standard input goes to it; its exit status is
/// <c>sockit</c>'s.
/// </summary>
internal static class ExecCommand
{
    /// <summary>The verb's name.</summary>
    public const string Name = "exec";

    public static Command Create(CliContext context)
    {
        var words = new Argument<string[]>("command")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "The command line, run by the server's shell (/bin/sh -c). Several words are joined with spaces "
                + "into one command line, as ssh joins them: quote what the remote shell should take as one word. "
                + "sockit's options go before it: from its first word on, everything is the command's.",
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "End the command and its processes after SECONDS; sockit then exits with 124 (default: the server's, 1 h unless configured)",
            HelpName = "SECONDS",
            CustomParser = ParseTimeout,
        };
        var cwd = new Option<string?>("--cwd")
        {
            Description = "Run in this folder on the server (default: the server's own)",
            HelpName = "DIR",
        };
        var env = new Option<Dictionary<string, string?>?>("--env", "-e")
        {
            Description = "Set an environment variable for the command; repeatable",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseEnvironment,
        };
        var encoding = EncodingOption.Create();
        var pty = new Option<bool>("--pty", "-t")
        {
            Description = "Run the command on a terminal of the server's, with this terminal in raw mode, as ssh -t does "
                + "(for interactive and full-screen programs; standard error then comes with standard output)",
        };
        var server = new ServerOptions(udpDefault: null, connectTimeoutOnly: true);
        var command = new Command(Name, "Run a command on the server, like ssh HOST COMMAND: its output, input and exit status are this command's.");
        command.Arguments.Add(words);
        command.Options.Add(timeout);
        command.Options.Add(cwd);
        command.Options.Add(env);
        command.Options.Add(encoding);
        command.Options.Add(pty);
        server.AddTo(command);

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var onTerminal = parseResult.GetValue(pty);
                if (onTerminal && !TerminalSession.IsSupported)
                {
                    throw TerminalSession.Unsupported();
                }

                var options = new SockitExecOptions
                {
                    WorkingDirectory = parseResult.GetValue(cwd),
                    Environment = parseResult.GetValue(env),
                    Timeout = parseResult.GetValue(timeout),
                };
                var target = await server.ResolveAsync(parseResult, context, needsLogin: true, token).ConfigureAwait(false);
                var client = await target.ConnectAsync(token).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    // --password-stdin has taken standard input (through a buffered reader): the command gets none.
                    using var input = parseResult.GetValue(server.Credentials.PasswordStdin) ? Stream.Null : context.OpenStandardInput();
                    using var stdout = context.OpenStandardOutput();
                    using var stderr = context.OpenStandardError();
                    var output = new RemoteOutput(stdout, stderr, parseResult.GetValue(encoding), context.OutputEncoding);
                    var commandLine = string.Join(' ', parseResult.GetValue(words) ?? []);
                    var result = await ExecOutcome.RunAsync(
                        context,
                        output,
                        echoesCtrlC: context.InputIsTerminal && !onTerminal,
                        cancel => onTerminal
                            ? TerminalSession.RunAsync(context, client, commandLine, options, input, output, cancel)
                            : RemoteCommand.RunAsync(client, commandLine, options, new RemoteInput(input, toTerminal: false), output, null, cancel),
                        token).ConfigureAwait(false);
                    return await ExecOutcome.ReportAsync(context, result).ConfigureAwait(false);
                }
            },
            cancellationToken));
        return command;
    }

    // The server takes more than 0 seconds, up to its maximum; it says so itself if the number is over that.
    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds)
            && seconds > 0
            && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError($"--timeout takes a number of seconds, more than 0, not '{text}'");
        return null;
    }

    // NAME=VALUE, one a token; the server checks the names (letters, digits, underscores).
    private static Dictionary<string, string?>? ParseEnvironment(ArgumentResult result)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            int equals = token.Value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                result.AddError($"--env takes NAME=VALUE, not '{token.Value}'");
                return null;
            }

            variables[token.Value[..equals]] = token.Value[(equals + 1)..];
        }

        return variables;
    }
}
