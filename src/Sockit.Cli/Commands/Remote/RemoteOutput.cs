using System.Text;
using Sockit.Client.Exec;

namespace Sockit.Cli.Commands.Remote;

/// <summary>
/// Where a remote command's output goes: its standard output to ours and its standard error to ours, each chunk as it
/// comes. The bytes are written unchanged (binary output arrives intact), or, with <c>--encoding</c>, decoded from
/// that encoding and written in the local console's.
/// </summary>
internal sealed class RemoteOutput
{
    // EPIPE (the same number on Linux and macOS): the reader of a pipe has gone. .NET ignores the SIGPIPE that would
    // end the process and reports the errno as the failed write's HResult.
    private const int BrokenPipe = 32;

    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly OutputTranscoder? _stdoutText;
    private readonly OutputTranscoder? _stderrText;
    private byte _last = (byte)'\n';

    /// <param name="stdout">Local standard output.</param>
    /// <param name="stderr">Local standard error.</param>
    /// <param name="remote">The remote output's encoding; <see langword="null"/> to pass the bytes through.</param>
    /// <param name="local">The local console's encoding.</param>
    public RemoteOutput(Stream stdout, Stream stderr, Encoding? remote, Encoding local)
    {
        _stdout = stdout;
        _stderr = stderr;
        if (remote is not null)
        {
            // One each: the two streams are separate, and so is a character left half-written on either.
            _stdoutText = new OutputTranscoder(remote, local);
            _stderrText = new OutputTranscoder(remote, local);
        }
    }

    /// <summary>Whether the last byte written ended a line (or nothing was written), so a prompt starts on a line of its own.</summary>
    public bool AtLineStart => _last == (byte)'\n';

    /// <summary>Writes the command's output until it has ended; then its result can be read.</summary>
    public async Task CopyAsync(SockitExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        await foreach (var chunk in execution.ReadOutputAsync(cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(chunk.Stream, chunk.Data, cancellationToken).ConfigureAwait(false);
        }

        await CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one chunk of output where it belongs.</summary>
    public async Task WriteAsync(ExecOutputKind kind, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var (target, text) = kind == ExecOutputKind.Stderr ? (_stderr, _stderrText) : (_stdout, _stdoutText);
        await WriteAsync(target, text is null ? data : text.Convert(data.Span, last: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what the decoders held back at the very end: the start of a character that never came whole.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_stdoutText is not null && _stderrText is not null)
        {
            await WriteAsync(_stdout, _stdoutText.Convert([], last: true), cancellationToken).ConfigureAwait(false);
            await WriteAsync(_stderr, _stderrText.Convert([], last: true), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(Stream target, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }

        try
        {
            await target.WriteAsync(data, cancellationToken).ConfigureAwait(false);

            // Shown as it comes: a progress line or a prompt without a newline must not wait in a buffer.
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.HResult == BrokenPipe)
        {
            throw new OutputClosedException("standard output was closed by its reader", ex);
        }

        _last = data.Span[^1];
    }
}
