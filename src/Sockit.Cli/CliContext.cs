using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Cli;

/// <summary>
/// What a command talks to besides the network: its input, output, error stream and environment. Tests pass
/// their own; <see cref="FromConsole"/> gives the real ones.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Where interactive mode reads its lines.</summary>
    public required TextReader Input { get; init; }

    /// <summary>Where replies (and prompts) go.</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Where the one-line error messages go.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable (<c>SOCKIT_SERVER</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether interactive mode prints its <c>&gt;&gt;: </c> prompt.</summary>
    public bool ShowPrompt { get; init; } = true;

    /// <summary>
    /// Reads a line without echoing it (passwords), after writing a prompt; <see langword="null"/> when there
    /// is no terminal to type at. Ctrl+C ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public Func<string, CancellationToken, Task<string>>? ReadSecret { get; init; }

    /// <summary>
    /// Reads a line typed at the terminal (a user name), after writing a prompt; <see langword="null"/> when there is
    /// no terminal to type at. Ctrl+C ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public Func<string, CancellationToken, Task<string>>? ReadLine { get; init; }

    /// <summary>
    /// Asks a yes/no question (trusting a server's certificate); <see langword="null"/> when there is no terminal,
    /// so scripts are refused instead of left waiting. Ctrl+C ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public Func<string, bool>? Confirm { get; init; }

    /// <summary>Whether standard error is a terminal: progress bars are drawn there, else plain lines are written.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Whether standard output is a terminal; tables piped to another program are plain text.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Whether standard input is a terminal: what a remote command's input and terminal are made of.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Whether Ctrl+C and SIGTERM cancel the running command (only the real process wants this).</summary>
    public bool HandleTerminationSignals { get; init; }

    /// <summary>Standard input as bytes, for what goes on unchanged: a remote command's input.</summary>
    public Func<Stream> OpenStandardInput { get; init; } = () => Stream.Null;

    /// <summary>Standard output as bytes, for what is written unchanged: a remote command's output.</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = () => Stream.Null;

    /// <summary>Standard error as bytes, for a remote command's error output.</summary>
    public Func<Stream> OpenStandardError { get; init; } = () => Stream.Null;

    /// <summary>The terminal's size in rows and columns; <see langword="null"/> when there is no terminal to measure.</summary>
    public Func<(int Rows, int Columns)?> GetWindowSize { get; init; } = () => null;

    /// <summary>The encoding text is written in on this console, for remote output decoded with <c>--encoding</c>.</summary>
    public Encoding OutputEncoding { get; init; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The process's console. Prompts are left out when input is piped, so output stays clean.</summary>
    public static CliContext FromConsole() => new()
    {
        Input = Console.In,
        Output = Console.Out,
        Error = Console.Error,
        ShowPrompt = !Console.IsInputRedirected,
        HandleTerminationSignals = true,
        OutputIsTerminal = !Console.IsOutputRedirected,
        InputIsTerminal = !Console.IsInputRedirected,
        OpenStandardInput = OpenConsoleInput,
        OpenStandardOutput = () => OpenConsoleOutput(1, Console.IsOutputRedirected, Console.OpenStandardOutput),
        OpenStandardError = () => OpenConsoleOutput(2, Console.IsErrorRedirected, Console.OpenStandardError),
        OutputEncoding = Console.OutputEncoding,
        GetWindowSize = ConsoleWindowSize,
        ReadSecret = Console.IsInputRedirected ? null : (prompt, token) => TerminalPrompt.ReadLineAsync(Console.Error, prompt, echo: false, token),
        ReadLine = Console.IsInputRedirected ? null : (prompt, token) => TerminalPrompt.ReadLineAsync(Console.Error, prompt, echo: true, token),
        Confirm = Console.IsInputRedirected ? null : ConfirmAtTerminal,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };

    /// <summary>
    /// Standard input, read as the kernel delivers it. The console's own stream for a terminal edits and echoes lines
    /// itself; a remote command wants the terminal's bytes (typed lines, Ctrl+D, or single keys in raw mode).
    /// </summary>
    private static Stream OpenConsoleInput() =>
        OperatingSystem.IsWindows() || Console.IsInputRedirected
            ? Console.OpenStandardInput()
            : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    /// <summary>
    /// Standard output or error as bytes. A pipe gets a stream of its own: the console's ignores a closed pipe (EPIPE)
    /// and would keep a remote command running whose reader has gone (<c>sockit exec -- yes | head -1</c>).
    /// </summary>
    private static Stream OpenConsoleOutput(int descriptor, bool redirected, Func<Stream> console)
    {
        if (redirected && !OperatingSystem.IsWindows())
        {
            var stream = new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!stream.CanSeek)
            {
                return stream;
            }

            // A file: a FileStream would keep an offset of its own and overwrite what others append; the console's
            // stream writes at the file's.
            stream.Dispose();
        }

        return console();
    }

    private static (int Rows, int Columns)? ConsoleWindowSize()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }

        try
        {
            var (rows, columns) = (Console.WindowHeight, Console.WindowWidth);
            return rows > 0 && columns > 0 ? (rows, columns) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool ConfirmAtTerminal(string question)
    {
        var answer = TerminalPrompt.ReadLine(Console.Error, question, echo: true).Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }
}
