using System.CommandLine;
using Sockit.Cli.Commands.Remote;
using Sockit.Client.Exec;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit shell [-s SERVER] [login options] [--pty | --no-pty] [--encoding NAME]</c>: a remote shell. At a terminal,
/// a login shell on a terminal of the server's (<c>--pty</c>, as <c>ssh</c> gives); otherwise, or with
/// <c>--no-pty</c>, the tutorials' <c>&gt;&gt;&gt;: </c> loop, one command a line.
/// </summary>
internal static class ShellCommand
{
    /// <summary>The verb's name.</summary>
    public const string Name = "shell";

    /// <summary>
    /// The remote terminal's program: the server user's login shell, as <c>ssh</c> starts it. <c>exec</c> leaves no
    /// <c>sh -c</c> in between, so the shell's exit status is the command's.
    /// </summary>
    public const string LoginShell = "exec \"${SHELL:-/bin/sh}\" -l";

    public static Command Create(CliContext context)
    {
        var pty = new Option<bool>("--pty", "-t")
        {
            Description = "A login shell on a terminal of the server's, with this terminal in raw mode "
                + "(the default when standard input and output are terminals)",
        };
        var noPty = new Option<bool>("--no-pty", "-T")
        {
            Description = "The >>>: loop: each line runs as one command, its output shown as it comes",
        };
        var encoding = EncodingOption.Create();
        var server = new ServerOptions(udpDefault: null, connectTimeoutOnly: true);
        var command = new Command(Name, "Run commands on the server: a login shell on a remote terminal, or the tutorials' >>>: loop.");
        command.Options.Add(pty);
        command.Options.Add(noPty);
        command.Options.Add(encoding);
        server.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(pty) && result.GetValue(noPty))
            {
                result.AddError("--pty and --no-pty exclude each other");
            }
        });

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var signals = ShellSignals.Listen(context.HandleTerminationSignals, cancellationToken);
            return await CommandRunner.RunAsync(
                context,
                async token =>
                {
                    // A terminal by default only where a person types and reads, and where one can be lent.
                    var onTerminal = parseResult.GetValue(pty)
                        || (!parseResult.GetValue(noPty) && context.InputIsTerminal && context.OutputIsTerminal && TerminalSession.IsSupported);
                    if (onTerminal && !TerminalSession.IsSupported)
                    {
                        throw TerminalSession.Unsupported();
                    }

                    var target = await server.ResolveAsync(parseResult, context, needsLogin: true, token).ConfigureAwait(false);
                    var connection = await ReconnectingClient.ConnectAsync(context, target, token).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        using var stdout = context.OpenStandardOutput();
                        using var stderr = context.OpenStandardError();
                        var output = new RemoteOutput(stdout, stderr, parseResult.GetValue(encoding), context.OutputEncoding);
                        return onTerminal
                            ? await RunTerminalAsync(context, connection, output, parseResult.GetValue(server.Credentials.PasswordStdin), token)
                                .ConfigureAwait(false)
                            : await ShellLoop.RunAsync(context, connection, output, signals).ConfigureAwait(false);
                    }
                },
                signals.Ended).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<ExitCode> RunTerminalAsync(
        CliContext context, ReconnectingClient connection, RemoteOutput output, bool passwordFromStdin, CancellationToken cancellationToken)
    {
        // --password-stdin has taken standard input (through a buffered reader): the shell gets none.
        using var input = passwordFromStdin ? Stream.Null : context.OpenStandardInput();
        var result = await ExecOutcome.RunAsync(
            context,
            output,
            echoesCtrlC: false,
            cancel => TerminalSession.RunAsync(context, connection.Client, LoginShell, SockitExecOptions.Default, input, output, cancel),
            cancellationToken).ConfigureAwait(false);
        return await ExecOutcome.ReportAsync(context, result).ConfigureAwait(false);
    }
}
