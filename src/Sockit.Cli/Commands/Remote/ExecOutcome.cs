using System.Globalization;
using Sockit.Client.Exec;

namespace Sockit.Cli.Commands.Remote;

/// <summary>What a remote command's end means for <c>sockit</c>'s own exit code and standard error.</summary>
internal static class ExecOutcome
{
    /// <summary>
    /// The exit code for <paramref name="result"/>: the remote status as a shell reports it (the exit code, or 128 + the
    /// signal's number), or <see cref="ExitCode.CommandTimedOut"/> with a line saying so.
    /// </summary>
    public static async Task<ExitCode> ReportAsync(CliContext context, ExecResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut)
        {
            // Said on standard error: the status alone (143 for SIGTERM, say) would look like the command's own doing.
            await context.Error.WriteLineAsync(
                $"sockit: the remote command timed out after {result.Duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s and was ended")
                .ConfigureAwait(false);
            return ExitCode.CommandTimedOut;
        }

        if (result.Cancelled)
        {
            await context.Error.WriteLineAsync("sockit: cancelled").ConfigureAwait(false);
            return ExitCode.Cancelled;
        }

        // The remote status passes through as ssh passes it: 0 to 255, which the enum does not name one by one.
        return (ExitCode)result.ShellStatus;
    }

    /// <summary>
    /// Runs <paramref name="command"/>; if it is cancelled (Ctrl+C, SIGTERM), first ends the line that the command's
    /// output, or the terminal's echo of ^C, left open, so that the notice that follows has a line of its own.
    /// </summary>
    /// <param name="context">Where the line is ended.</param>
    /// <param name="output">The command's output, which knows whether it ended a line.</param>
    /// <param name="echoesCtrlC">Whether the local terminal shows ^C when it is pressed (not in raw mode).</param>
    /// <param name="command">The command, with the token that cancels it.</param>
    /// <param name="cancellationToken">The token that cancels it.</param>
    public static async Task<ExecResult> RunAsync(
        CliContext context, RemoteOutput output, bool echoesCtrlC, Func<CancellationToken, Task<ExecResult>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            return await command(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && (echoesCtrlC || !output.AtLineStart))
        {
            await context.Error.WriteLineAsync().ConfigureAwait(false);
            throw;
        }
    }
}
