using Sockit.Client.Exec;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Remote;

/// <summary>Sends local standard input to a remote command as it comes, as <c>ssh</c> does.</summary>
internal static class RemoteInput
{
    /// <summary>
    /// Copies <paramref name="source"/> to the command's standard input and ends it at the end of
    /// <paramref name="source"/>. Never fails: input that can no longer be sent means the command has ended or the
    /// connection has failed, and the command's output and result tell which.
    /// </summary>
    /// <remarks>
    /// A read from a terminal cannot be interrupted, so <paramref name="cancellationToken"/> stops the copy only
    /// between reads; a caller done with the command leaves this task behind rather than waiting for it.
    /// </remarks>
    public static async Task ForwardAsync(Stream source, SockitExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(execution);
        try
        {
            await execution.CopyInputFromAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException or SockitException)
        {
            // See above: the output side reports what went wrong.
        }
    }
}
