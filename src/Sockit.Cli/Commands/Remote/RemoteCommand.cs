using Sockit.Client;
using Sockit.Client.Exec;

namespace Sockit.Cli.Commands.Remote;

/// <summary>One remote command from start to end: its input sent on, its output written out, its result.</summary>
internal static class RemoteCommand
{
    /// <summary>
    /// Runs <paramref name="commandLine"/> through the server's shell, sends it <paramref name="input"/> as it comes and
    /// writes its output to <paramref name="output"/> until it ends.
    /// </summary>
    /// <param name="client">A connection logged in with the <c>exec</c> permission.</param>
    /// <param name="commandLine">The command line.</param>
    /// <param name="options">Folder, environment, timeout and terminal; the input settings are made here.</param>
    /// <param name="input">The command's standard input; <see langword="null"/> for none (it reads end of file at once).</param>
    /// <param name="output">Where the output goes.</param>
    /// <param name="alongside">Runs while the command does (resizing its terminal), until the token it gets is cancelled.</param>
    /// <param name="cancellationToken">Cancels the command: the server ends its whole process tree.</param>
    /// <returns>How the command ended.</returns>
    public static async Task<ExecResult> RunAsync(
        SockitClient client,
        string commandLine,
        SockitExecOptions options,
        RemoteInput? input,
        RemoteOutput output,
        Func<SockitExecution, CancellationToken, Task>? alongside,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);
        var execution = await client.ExecAsync(commandLine, options with { KeepInputOpen = input is not null }, cancellationToken)
            .ConfigureAwait(false);
        await using (execution.ConfigureAwait(false))
        {
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (input is not null)
            {
                // Not awaited: it may be blocked reading a terminal, which no token interrupts, when the command ends.
                _ = input.ForwardAsync(execution, done.Token);
            }

            var helper = alongside?.Invoke(execution, done.Token) ?? Task.CompletedTask;
            try
            {
                await output.CopyAsync(execution, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await done.CancelAsync().ConfigureAwait(false);
                await helper.ConfigureAwait(false);
            }

            return await execution.GetResultAsync().ConfigureAwait(false);
        }
    }
}
