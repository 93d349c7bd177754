using System.CommandLine;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// <c>sockit ftp [SERVER]</c>: the homework's interactive file client. A prompt shows the remote folder
/// (<c>sockit:/docs&gt; </c>); <c>ls cd pwd put get mkdir rm mv stat df lcd lpwd help quit</c>. At a terminal the line
/// is edited key by key, with history (Up/Down) and Tab completion of remote names, and Ctrl+C stops the running
/// command or drops the typed line; piped input is read line by line, for scripts.
/// </summary>
internal static class FtpCommand
{
    public static Command Create(CliContext context)
    {
        var address = new Argument<string?>("server")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The server (as for --server; default: $SOCKIT_SERVER, else 127.0.0.1:9000)",
        };
        var server = new ServerOptions(udpDefault: null);
        var command = new Command("ftp", "Browse and transfer files interactively, like ftp.");
        command.Arguments.Add(address);
        server.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var target = server.Resolve(parseResult, context, parseResult.GetValue(address));
                target = target with
                {
                    Credentials = await server.Credentials.ResolveAsync(parseResult, context, target.Address, token).ConfigureAwait(false),
                };
                var session = await FtpSession.ConnectAsync(context, target, Environment.CurrentDirectory, token).ConfigureAwait(false);
                await using (session.ConfigureAwait(false))
                {
                    return context.ReadLine is null
                        ? await RunPipedAsync(context, session, token).ConfigureAwait(false)
                        : await RunAtTerminalAsync(context, session, new ConsoleKeySource(), token).ConfigureAwait(false);
                }
            },
            cancellationToken));
        return command;
    }

    /// <summary>
    /// Commands from piped input, a line each, until <c>quit</c> or the end; returns the exit code of the first command
    /// that failed, so a script can tell.
    /// </summary>
    public static async Task<ExitCode> RunPipedAsync(CliContext context, FtpSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        while (true)
        {
            if (context.ShowPrompt)
            {
                await context.Output.WriteAsync(session.Prompt).ConfigureAwait(false);
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var line = await Task.Run(context.Input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || !await session.RunAsync(line, cancellationToken).ConfigureAwait(false))
            {
                return session.FirstFailure;
            }
        }
    }

    /// <summary>
    /// Commands typed at the terminal, edited with <see cref="LineEditor"/>, until <c>quit</c> or Ctrl+D. Ctrl+C is a
    /// key for the whole session: at the prompt it drops the line, during a command it stops that command.
    /// </summary>
    public static async Task<ExitCode> RunAtTerminalAsync(CliContext context, FtpSession session, IKeySource keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        var watcher = new CtrlCWatcher(keys);
        var editor = new LineEditor(watcher, context.Output, new FtpCompleter(session).CompleteAsync);
        await context.Output.WriteLineAsync($"connected to {session.Address}; 'help' lists the commands, 'quit' leaves").ConfigureAwait(false);
        bool controlCWasInput = keys is ConsoleKeySource && Console.TreatControlCAsInput;
        if (keys is ConsoleKeySource)
        {
            Console.TreatControlCAsInput = true;
        }

        try
        {
            while (await editor.ReadLineAsync(session.Prompt, cancellationToken).ConfigureAwait(false) is { } line)
            {
                try
                {
                    if (!await watcher.RunAsync(token => session.RunAsync(line, token), cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await context.Error.WriteLineAsync("sockit: cancelled").ConfigureAwait(false);
                }
            }

            return ExitCode.Ok;
        }
        finally
        {
            if (keys is ConsoleKeySource)
            {
                Console.TreatControlCAsInput = controlCWasInput;
            }
        }
    }
}
