using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Sockit.Client;
using Sockit.Client.Exec;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Remote;

/// <summary>
/// A remote command on a pseudo-terminal of the server's, driven from the local terminal as <c>ssh -t</c> drives one:
/// the local terminal in raw mode (every key, Ctrl+C and Ctrl+Z included, goes to the remote program as typed), the
/// remote terminal the local one's size, following it when the window is resized.
/// </summary>
internal static partial class TerminalSession
{
    /// <summary>The server's limits on a terminal's rows and columns.</summary>
    private const int MaxDimension = 1000;

    /// <summary>Whether this machine can lend its terminal: not Windows, whose console cannot be put in raw mode this way.</summary>
    [UnsupportedOSPlatformGuard("windows")]
    public static bool IsSupported => !OperatingSystem.IsWindows();

    /// <summary>The one-line refusal where the terminal is not <see cref="IsSupported"/>.</summary>
    public static SockitException Unsupported() => new(
        SockitErrorCode.InvalidArgument, "a remote terminal (--pty) is not supported on Windows; leave out --pty (sockit shell --no-pty)");

    /// <summary>
    /// Runs <paramref name="commandLine"/> on a remote terminal until it ends; the local terminal is itself again by
    /// the time this returns or throws.
    /// </summary>
    /// <param name="context">The local terminal: standard input, output and its size.</param>
    /// <param name="client">A connection logged in with the <c>exec</c> permission.</param>
    /// <param name="commandLine">The command line.</param>
    /// <param name="options">Folder, environment and timeout; the terminal settings are made here.</param>
    /// <param name="input">What is typed, or piped in; <see langword="null"/> sends nothing.</param>
    /// <param name="output">Where the terminal's output goes.</param>
    /// <param name="cancellationToken">Cancels the command: the server ends its whole process tree.</param>
    /// <exception cref="SockitException">On Windows, which has no terminal of this kind to lend.</exception>
    public static async Task<ExecResult> RunAsync(
        CliContext context,
        SockitClient client,
        string commandLine,
        SockitExecOptions options,
        Stream? input,
        RemoteOutput output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsSupported)
        {
            throw Unsupported();
        }

        options = options with
        {
            Pty = true,
            WindowSize = Clamp(context.GetWindowSize()),
            Term = context.GetEnvironmentVariable("TERM") is { } term && TermName().IsMatch(term) ? term : null,
        };

        // Raw only when a person types here: piped input goes through as it is either way.
        using var raw = context.InputIsTerminal ? RawTerminal.Enter() : null;
        var resizes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var resized = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => resizes.Writer.TryWrite(true));
        return await RemoteCommand.RunAsync(
            client,
            commandLine,
            options,
            input is null ? null : new RemoteInput(input, toTerminal: !context.InputIsTerminal),
            output,
            (execution, token) => ForwardResizesAsync(context, execution, resizes.Reader, token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the remote terminal the local one's size after each SIGWINCH, until cancelled; never fails.</summary>
    private static async Task ForwardResizesAsync(
        CliContext context, SockitExecution execution, ChannelReader<bool> resizes, CancellationToken cancellationToken)
    {
        try
        {
            while (await resizes.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                resizes.TryRead(out _);
                if (Clamp(context.GetWindowSize()) is { } size)
                {
                    await execution.ResizeAsync(size.Rows, size.Columns, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException or SockitException)
        {
            // The command has ended, or the connection failed: its output side reports what matters.
        }
    }

    private static (int Rows, int Columns)? Clamp((int Rows, int Columns)? size) =>
        size is { } known ? (Math.Clamp(known.Rows, 1, MaxDimension), Math.Clamp(known.Columns, 1, MaxDimension)) : null;

    // The server takes TERM names of these characters only; anything else gets its default (xterm-256color).
    [GeneratedRegex("^[A-Za-z0-9+._-]{1,64}$")]
    private static partial Regex TermName();
}
