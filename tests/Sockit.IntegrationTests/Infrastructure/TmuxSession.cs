using System.Diagnostics;
using System.Globalization;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// The real <c>sockit</c> command in a real terminal: a detached tmux session on a tmux server of its own. For what
/// only a terminal shows: prompts, unechoed typing, Ctrl+C. Needs <c>tmux</c> on the PATH (CI installs it).
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private const string Session = "sockit";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly string _socket;
    private readonly string _exitCodeFile;

    private TmuxSession(string socket)
    {
        _socket = socket;
        _exitCodeFile = socket + ".exit";
    }

    /// <summary>Starts <c>sockit</c> with <paramref name="arguments"/> in a 160×50 terminal.</summary>
    /// <param name="arguments">sockit's arguments.</param>
    /// <param name="environment">Variables to set for it.</param>
    /// <param name="afterwards">A shell command run in the same terminal once sockit has exited (its exit code recorded), e.g. <c>stty -a</c>.</param>
    public static async Task<TmuxSession> StartAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? afterwards = null)
    {
        // The child's environment, cleaned as for every sockit process; the tmux server started here passes it on.
        var sockit = SockitProcess.StartInfo(arguments, environment);
        var session = new TmuxSession(Path.Combine(Path.GetTempPath(), $"sockit-tmux-{Guid.NewGuid():N}"));

        // A shell runs sockit and writes its exit code to a file: tmux does not always learn a pane's exit status. The
        // shell catches SIGINT so that Ctrl+C ends only sockit, and the pane stays to be read after the exit.
        await session.RunTmuxAsync(
            sockit.Environment,
            ["new-session", "-d", "-s", Session, "-x", "160", "-y", "50", "--",
                "sh", "-c", "trap : INT; \"$@\"; echo $? > \"$0\"" + (afterwards is null ? "" : "; " + afterwards), session._exitCodeFile, sockit.FileName, .. sockit.ArgumentList,
                ";", "set-option", "-t", Session, "remain-on-exit", "on"]);
        return session;
    }

    /// <summary>
    /// Everything the terminal has shown, scrolled-off lines included, wrapped lines joined, without tmux's own
    /// "Pane is dead" line and trailing blank lines.
    /// </summary>
    public async Task<string> CaptureAsync()
    {
        var screen = await RunTmuxAsync(null, ["capture-pane", "-p", "-J", "-S", "-", "-t", Session]);
        return string.Join('\n', screen.Split('\n').Where(line => !line.StartsWith("Pane is dead", StringComparison.Ordinal))).TrimEnd('\n');
    }

    /// <summary>Waits until the screen shows <paramref name="text"/>; returns the screen.</summary>
    public async Task<string> WaitForTextAsync(string text)
    {
        string screen = "";
        await WaitUntilAsync(async () => (screen = await CaptureAsync()).Contains(text, StringComparison.Ordinal), $"'{text}' on the screen");
        return screen;
    }

    /// <summary>Types keys, in tmux's names: <c>C-c</c>, <c>Enter</c>, or text.</summary>
    public Task SendKeysAsync(params string[] keys) => RunTmuxAsync(null, ["send-keys", "-t", Session, .. keys]);

    /// <summary>Resizes the terminal, as dragging its window would: the program in it gets SIGWINCH.</summary>
    public Task ResizeAsync(int columns, int rows) => RunTmuxAsync(
        null, ["resize-window", "-t", Session, "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Waits for the command to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        string text = "";
        await WaitUntilAsync(
            () => Task.FromResult(File.Exists(_exitCodeFile) && (text = File.ReadAllText(_exitCodeFile)).EndsWith('\n')),
            "the command to exit");
        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunTmuxAsync(null, ["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // The server is gone already.
        }

        File.Delete(_socket);
        File.Delete(_exitCodeFile);
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}; the screen shows:\n{await CaptureAsync()}");
            }

            // Polling the terminal: tmux has no event to wait on for what a screen shows.
            await Task.Delay(PollInterval);
        }
    }

    private async Task<string> RunTmuxAsync(IDictionary<string, string?>? environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-S", _socket, "-f", "/dev/null", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("tmux is needed for the terminal tests: apt-get install tmux", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Patience);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }
    }
}
