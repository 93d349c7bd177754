using System.Buffers;
using System.Runtime.CompilerServices;
using Sockit.Protocol.Exec;

namespace Sockit.Client.Exec;

/// <summary>
/// A command running on the server (<see cref="SockitClient.ExecAsync(string, SockitExecOptions?, CancellationToken)"/>):
/// its output as it is produced, its standard input, its terminal, and how it ended. Dispose it when done; disposing
/// it (or cancelling the token it was started with) before it has ended kills the remote command's process tree.
/// </summary>
/// <remarks>
/// Read the output to its end (<see cref="ReadOutputAsync"/> or <see cref="CopyOutputToAsync"/>) before awaiting
/// <see cref="GetResultAsync"/>: the server sends no more than the output window ahead of what has been read, so the
/// command waits for its reader, and the result comes after the last output.
/// </remarks>
public sealed class SockitExecution : IAsyncDisposable
{
    private readonly SockitCall<ExecReply> _call;

    internal SockitExecution(SockitCall<ExecReply> call) => _call = call;

    /// <summary>The request's <c>id</c> on its connection.</summary>
    public long Id => _call.Id;

    /// <summary>
    /// The command's output in the order the server sent it: stdout and stderr chunks as they were written, each
    /// stream in order (the two are separate pipes on the server, so their relative order is only roughly kept). Ends
    /// when the command has ended; throws a <c>SockitRemoteException</c> if the server refused or ended the request
    /// with an error. Enumerate it once.
    /// </summary>
    public async IAsyncEnumerable<ExecChunk> ReadOutputAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var part in _call.Frames.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var head = part.Deserialize(ExecJsonContext.Default.ExecOutput);
            var stream = head.Stream == ExecStreams.Stderr ? ExecOutputKind.Stderr : ExecOutputKind.Stdout;
            yield return new ExecChunk(stream, part.Body);
        }
    }

    /// <summary>
    /// Writes the command's stdout and stderr to <paramref name="stdout"/> and <paramref name="stderr"/> (flushing after
    /// each chunk, so output shows as it comes) until it has ended, and returns how it ended.
    /// </summary>
    public async Task<ExecResult> CopyOutputToAsync(Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        await foreach (var chunk in ReadOutputAsync(cancellationToken).ConfigureAwait(false))
        {
            var target = chunk.Stream == ExecOutputKind.Stderr ? stderr : stdout;
            await target.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return await GetResultAsync().ConfigureAwait(false);
    }

    /// <summary>How the command ended; comes after its last output.</summary>
    /// <exception cref="Protocol.Errors.SockitRemoteException">The server refused the command (<c>not_found</c>, <c>server_busy</c>, ...).</exception>
    /// <exception cref="OperationCanceledException">The execution was cancelled here.</exception>
    public async Task<ExecResult> GetResultAsync()
    {
        var response = await _call.GetReplyAsync().ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            var reply = response.Reply;
            return new ExecResult(
                reply.ExitCode,
                reply.Signal,
                reply.SignalName,
                reply.TimedOut,
                reply.Cancelled,
                TimeSpan.FromMilliseconds(reply.DurationMs),
                reply.StdoutBytes,
                reply.StderrBytes,
                reply.StdinBytes);
        }
    }

    /// <summary>
    /// Sends bytes to the command's standard input (started with <see cref="SockitExecOptions.KeepInputOpen"/>), waiting
    /// while the server has no room for them.
    /// </summary>
    public ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _call.WriteInputAsync(data, cancellationToken);

    /// <summary>Ends the command's standard input: it reads end of file once it has read what was sent.</summary>
    public ValueTask CompleteInputAsync(CancellationToken cancellationToken = default) =>
        _call.CompleteInputAsync(cancellationToken);

    /// <summary>
    /// The command's standard input as a write-only stream (started with <see cref="SockitExecOptions.KeepInputOpen"/>):
    /// each write waits while the server has no room for it, and disposing the stream ends the input.
    /// </summary>
    public Stream OpenStandardInput() => new ExecInputStream(this);

    /// <summary>
    /// Sends everything <paramref name="source"/> has to the command's standard input, then ends it. Stops quietly when
    /// the command has ended (it no longer wants input).
    /// </summary>
    public async Task CopyInputFromAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = ArrayPool<byte>.Shared.Rent(SockitExecOptions.MaxStandardInputLength);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, SockitExecOptions.MaxStandardInputLength), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteInputAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await CompleteInputAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (_call.GetReplyAsync().IsCompleted)
        {
            // The command ended before its input did.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Resizes the command's terminal (started with <see cref="SockitExecOptions.Pty"/>); it gets SIGWINCH.</summary>
    public ValueTask ResizeAsync(int rows, int columns, CancellationToken cancellationToken = default) =>
        _call.SendControlAsync(new ExecControl { Id = Id, Rows = rows, Cols = columns }, ExecJsonContext.Default.ExecControl, cancellationToken);

    /// <summary>Sends a signal to the command's process group, by name: <c>INT</c>, <c>TERM</c>, <c>HUP</c>, <c>QUIT</c>, <c>KILL</c>, ...</summary>
    public ValueTask SignalAsync(string signal, CancellationToken cancellationToken = default) =>
        _call.SendControlAsync(new ExecControl { Id = Id, Signal = signal }, ExecJsonContext.Default.ExecControl, cancellationToken);

    /// <summary>Kills the remote command's process tree (a <c>cancel</c>); output and result then fail with <see cref="OperationCanceledException"/>.</summary>
    public void Cancel() => _call.Cancel();

    /// <summary>Cancels the command if it still runs and releases the call.</summary>
    public ValueTask DisposeAsync() => _call.DisposeAsync();
}
