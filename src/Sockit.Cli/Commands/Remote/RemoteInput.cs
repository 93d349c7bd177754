using Sockit.Client.Exec;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Remote;

/// <summary>Local standard input on its way to a remote command, sent as it comes, as <c>ssh</c> sends it.</summary>
internal sealed class RemoteInput
{
    private const byte EndOfFileKey = 0x04;

    private readonly Stream _source;
    private readonly bool _toTerminal;

    /// <param name="source">Local standard input.</param>
    /// <param name="toTerminal">
    /// Whether it goes to a remote terminal without being typed (piped): a terminal has no end of input, so its end is
    /// sent as Ctrl+D, which is what the program there takes for one (a shell exits, <c>cat</c> ends).
    /// </param>
    public RemoteInput(Stream source, bool toTerminal)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _toTerminal = toTerminal;
    }

    /// <summary>
    /// Copies the input to the command's standard input, then ends that. Never fails: input that can no longer be sent
    /// means the command has ended or the connection has failed, and the command's output and result tell which.
    /// </summary>
    /// <remarks>
    /// A read from a terminal cannot be interrupted, so <paramref name="cancellationToken"/> stops the copy only
    /// between reads; a caller done with the command leaves this task behind rather than waiting for it.
    /// </remarks>
    public async Task ForwardAsync(SockitExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var buffer = new byte[SockitExecOptions.MaxStandardInputLength];
        try
        {
            byte last = (byte)'\n';
            int read;
            while ((read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await execution.WriteInputAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                last = buffer[read - 1];
            }

            if (_toTerminal)
            {
                // Ctrl+D ends input only at the start of a line; in the middle of one it just passes the line on.
                byte[] endOfFile = last == '\n' ? [EndOfFileKey] : [EndOfFileKey, EndOfFileKey];
                await execution.WriteInputAsync(endOfFile, cancellationToken).ConfigureAwait(false);
            }

            await execution.CompleteInputAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException or SockitException)
        {
            // See above: the output side reports what went wrong.
        }
    }
}
