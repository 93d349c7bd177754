using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands;

/// <summary>
/// The tutorials' client loop: prompt <c>&gt;&gt;: </c>, read a line, send it, print the reply, until
/// <c>quit</c> or the end of input.
/// </summary>
internal static class RequestLoop
{
    public const string Prompt = ">>: ";

    public const string Quit = "quit";

    /// <summary>Sends one request and prints its reply.</summary>
    public static async Task<ExitCode> RunOnceAsync(
        CliContext context, string request, Func<string, CancellationToken, Task<string>> send, CancellationToken cancellationToken)
    {
        var reply = await send(request, cancellationToken).ConfigureAwait(false);
        await context.Output.WriteLineAsync(reply).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    /// <summary>
    /// Sends each input line (trimmed) as a request. A server error is reported and the loop goes on, since the
    /// connection is still good; the loop then ends with <see cref="ExitCode.ServerError"/>. Any other failure ends it.
    /// </summary>
    /// <param name="context">Where lines come from and replies go.</param>
    /// <param name="send">Sends one request and returns the reply.</param>
    /// <param name="skipEmptyLines">Whether an empty line is skipped, or sent like any other.</param>
    /// <param name="cancellationToken">Ends the loop (Ctrl+C).</param>
    public static async Task<ExitCode> RunInteractiveAsync(
        CliContext context,
        Func<string, CancellationToken, Task<string>> send,
        bool skipEmptyLines,
        CancellationToken cancellationToken)
    {
        var result = ExitCode.Ok;
        while (true)
        {
            if (context.ShowPrompt)
            {
                await context.Output.WriteAsync(Prompt).ConfigureAwait(false);
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var line = await ReadLineAsync(context, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                if (context.ShowPrompt)
                {
                    // End of input leaves the cursor after the prompt; the shell's prompt deserves its own line.
                    await context.Output.WriteLineAsync().ConfigureAwait(false);
                }

                return result;
            }

            var text = line.Trim();
            if (text == Quit)
            {
                return result;
            }

            if (text.Length == 0 && skipEmptyLines)
            {
                continue;
            }

            try
            {
                var reply = await send(text, cancellationToken).ConfigureAwait(false);
                await context.Output.WriteLineAsync(reply).ConfigureAwait(false);
            }
            catch (SockitRemoteException ex)
            {
                result = await CommandRunner.ReportAsync(context, ex).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads a line without blocking cancellation: the console's reader blocks inside ReadLineAsync and ignores
    /// the token, so the read runs on the pool and Ctrl+C stops waiting for it.
    /// </summary>
    private static async Task<string?> ReadLineAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(context.Input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && context.ShowPrompt)
        {
            // Ctrl+C leaves the cursor after the prompt; the cancellation notice deserves its own line.
            await context.Output.WriteLineAsync().ConfigureAwait(false);
            throw;
        }
    }
}
