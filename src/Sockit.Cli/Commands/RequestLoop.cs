using Sockit.Client;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands;

/// <summary>
/// The tutorials' client loop: prompt <c>&gt;&gt;: </c>, read a line, send it, print the reply, until
/// <c>quit</c> or the end of input; or, given a request, just that one.
/// </summary>
internal static class RequestLoop
{
    public const string Prompt = ">>: ";

    public const string Quit = "quit";

    /// <summary>
    /// Sends <paramref name="request"/> with <paramref name="operation"/> over a framed connection, or without one runs
    /// the interactive loop, which connects again whenever the server has closed the connection.
    /// </summary>
    public static async Task<ExitCode> RunAsync(
        CliContext context,
        ServerTarget target,
        string? request,
        Func<SockitClient, string, CancellationToken, Task<string>> operation,
        bool skipEmptyLines,
        CancellationToken cancellationToken)
    {
        var connection = await ReconnectingClient.ConnectAsync(context, target, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return request is null
                ? await RunInteractiveAsync(
                    context, (text, token) => connection.SendAsync(operation, text, token), skipEmptyLines, cancellationToken).ConfigureAwait(false)
                : await RunOnceAsync(
                    context, request, (text, token) => operation(connection.Client, text, token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="request"/>, or without one runs the interactive loop.</summary>
    public static Task<ExitCode> RunAsync(
        CliContext context,
        string? request,
        Func<string, CancellationToken, Task<string>> send,
        bool skipEmptyLines,
        CancellationToken cancellationToken) =>
        request is null
            ? RunInteractiveAsync(context, send, skipEmptyLines, cancellationToken)
            : RunOnceAsync(context, request, send, cancellationToken);

    private static async Task<ExitCode> RunOnceAsync(
        CliContext context, string request, Func<string, CancellationToken, Task<string>> send, CancellationToken cancellationToken)
    {
        var reply = await send(request, cancellationToken).ConfigureAwait(false);
        await context.Output.WriteLineAsync(reply).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    /// <summary>
    /// Sends each input line (trimmed) as a request. A server error is reported and the loop goes on, since the
    /// connection is still good; it ends with <see cref="ExitCode.Ok"/> at <c>quit</c> or the end of input however many
    /// lines the server refused, since each refusal has been reported. Any other failure ends it.
    /// </summary>
    /// <param name="context">Where lines come from and replies go.</param>
    /// <param name="send">Sends one request and returns the reply.</param>
    /// <param name="skipEmptyLines">Whether an empty line is skipped, or sent like any other.</param>
    /// <param name="cancellationToken">Ends the loop (Ctrl+C).</param>
    private static async Task<ExitCode> RunInteractiveAsync(
        CliContext context,
        Func<string, CancellationToken, Task<string>> send,
        bool skipEmptyLines,
        CancellationToken cancellationToken)
    {
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

                return ExitCode.Ok;
            }

            var text = line.Trim();
            if (text == Quit)
            {
                return ExitCode.Ok;
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
                await CommandRunner.ReportAsync(context, ex).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads a line without blocking cancellation: the console's reader blocks inside ReadLineAsync and ignores
    /// the token, so the read runs on the pool and Ctrl+C stops waiting for it.
    /// </summary>
    public static async Task<string?> ReadLineAsync(CliContext context, CancellationToken cancellationToken)
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
