using Sockit.Client.Exec;
using Sockit.Protocol.Exec;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    /// <summary>
    /// Starts a command line on the server, run by its shell (<c>/bin/sh -c</c>). Needs a login with the <c>exec</c>
    /// permission. Returns once the request is on its way; the command's output, input and result go through the
    /// returned <see cref="SockitExecution"/>.
    /// </summary>
    /// <param name="command">The command line.</param>
    /// <param name="options">Working folder, environment, timeout, input and terminal; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Bounds the whole command: cancelling it later kills the remote process tree.</param>
    public Task<SockitExecution> ExecAsync(string command, SockitExecOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return StartExecAsync(command, null, options ?? SockitExecOptions.Default, cancellationToken);
    }

    /// <summary>
    /// Starts a program on the server with these arguments, without a shell (<paramref name="argv"/>[0] is looked up in
    /// the server's <c>PATH</c>). Otherwise as <see cref="ExecAsync(string, SockitExecOptions?, CancellationToken)"/>.
    /// </summary>
    public Task<SockitExecution> ExecAsync(IReadOnlyList<string> argv, SockitExecOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(argv);
        return StartExecAsync(null, argv, options ?? SockitExecOptions.Default, cancellationToken);
    }

    private async Task<SockitExecution> StartExecAsync(string? command, IReadOnlyList<string>? argv, SockitExecOptions options, CancellationToken cancellationToken)
    {
        if (options.StandardInput.Length > SockitExecOptions.MaxStandardInputLength)
        {
            throw new ArgumentException(
                $"StandardInput may be at most {SockitExecOptions.MaxStandardInputLength} bytes; send more with KeepInputOpen and WriteInputAsync",
                nameof(options));
        }

        var stdin = options.StandardInput;
        var call = await StartAsync(
            id => new ExecRequest
            {
                Id = id,
                Command = command,
                Argv = argv,
                Cwd = options.WorkingDirectory,
                Env = options.Environment,
                TimeoutS = options.Timeout?.TotalSeconds,
                Input = options.KeepInputOpen ? true : null,
                Pty = options.Pty ? true : null,
                Rows = options.Pty ? options.WindowSize?.Rows : null,
                Cols = options.Pty ? options.WindowSize?.Columns : null,
                Term = options.Pty ? options.Term : null,
                DataSize = stdin.IsEmpty ? null : stdin.Length,
            },
            ExecJsonContext.Default.ExecRequest,
            ExecJsonContext.Default.ExecReply,
            SockitRequestBody.FromMemory(stdin),
            new SockitCallOptions { OutputWindow = options.OutputWindow },
            cancellationToken).ConfigureAwait(false);
        return new SockitExecution(call);
    }
}
