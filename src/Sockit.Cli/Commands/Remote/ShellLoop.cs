using Sockit.Client.Exec;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Remote;

/// <summary>
/// The tutorials' remote-command loop: prompt <c>&gt;&gt;&gt;: </c>, read a line, run it through the server's shell
/// with its output shown as it comes, until <c>quit</c>, <c>exit</c> or the end of input. An empty line is skipped.
/// </summary>
internal static class ShellLoop
{
    public const string Prompt = ">>>: ";

    private static readonly string[] LeaveWords = ["quit", "exit"];

    /// <summary>
    /// Runs the loop on <paramref name="connection"/>. A command the server refuses gets its one-line error and the
    /// loop goes on; Ctrl+C cancels the command that runs. Ends with <see cref="ExitCode.Ok"/> at <c>quit</c>,
    /// <c>exit</c> or the end of input, whatever the commands' own statuses were.
    /// </summary>
    /// <param name="context">Where lines come from and output goes.</param>
    /// <param name="connection">A connection logged in with the <c>exec</c> permission.</param>
    /// <param name="output">Where the commands' output goes.</param>
    /// <param name="signals">Ctrl+C and the end of the shell.</param>
    public static async Task<ExitCode> RunAsync(CliContext context, ReconnectingClient connection, RemoteOutput output, ShellSignals signals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(signals);
        var atLineStart = true;
        while (true)
        {
            if (context.ShowPrompt)
            {
                // Output that did not end its line (printf hi) leaves the prompt a line of its own, as print() did.
                await context.Output.WriteAsync(atLineStart ? Prompt : Environment.NewLine + Prompt).ConfigureAwait(false);
                await context.Output.FlushAsync(signals.Ended).ConfigureAwait(false);
            }

            var line = await RequestLoop.ReadLineAsync(context, signals.Ended).ConfigureAwait(false);
            if (line is null)
            {
                if (context.ShowPrompt)
                {
                    // End of input (Ctrl+D) leaves the cursor after the prompt; the local shell's prompt deserves its own line.
                    await context.Output.WriteLineAsync().ConfigureAwait(false);
                }

                return ExitCode.Ok;
            }

            var text = line.Trim();
            if (LeaveWords.Contains(text))
            {
                return ExitCode.Ok;
            }

            if (text.Length > 0)
            {
                atLineStart = await RunOneAsync(context, connection, text, output, signals).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one command; returns whether its output ended a line.</summary>
    private static async Task<bool> RunOneAsync(
        CliContext context, ReconnectingClient connection, string commandLine, RemoteOutput output, ShellSignals signals)
    {
        using var command = CancellationTokenSource.CreateLinkedTokenSource(signals.Ended);
        signals.Running(command);
        try
        {
            var client = await connection.GetOpenAsync(command.Token).ConfigureAwait(false);

            // No input: the loop's own input is where its next line comes from, as in the tutorial.
            var result = await RemoteCommand.RunAsync(client, commandLine, SockitExecOptions.Default, null, output, null, command.Token)
                .ConfigureAwait(false);
            await ExecOutcome.ReportAsync(context, result).ConfigureAwait(false);
            return output.AtLineStart;
        }
        catch (OperationCanceledException) when (command.IsCancellationRequested && !signals.Ended.IsCancellationRequested)
        {
            // Ctrl+C ended this command only (the terminal has shown ^C); the prompt comes on a line of its own.
            return false;
        }
        catch (SockitRemoteException ex)
        {
            await CommandRunner.ReportAsync(context, ex).ConfigureAwait(false);
            return true;
        }
        finally
        {
            signals.Running(null);
        }
    }
}
