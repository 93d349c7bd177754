using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Sockit.Protocol.Addressing;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>The real <c>sockit</c> command in a child process, as a user runs it.</summary>
public sealed partial class SockitProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _errorWaiters = [];

    private SockitProcess(Process process)
    {
        _process = process;
    }

    /// <summary><c>sockit.dll</c>, built beside this test assembly through the project reference.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "sockit.dll");

    /// <summary>The <c>dotnet</c> running these tests, so the child runs on the same one even if it is not on the PATH.</summary>
    public static string DotnetHost
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    /// <summary>The folder holding <c>Sockit.slnx</c>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Sockit.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Sockit.slnx above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The lines <c>sockit serve</c> printed before <c>ready</c>.</summary>
    public List<string> Banner { get; } = [];

    /// <summary>Everything written to standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>The config folder every child process gets (<c>XDG_CONFIG_HOME</c>), shared by the test run and deleted at its end.</summary>
    public static string ConfigHome { get; } = CreateConfigHome();

    private static string CreateConfigHome()
    {
        var folder = Directory.CreateTempSubdirectory("sockit-test-home-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A child still writing at exit leaves the folder to the OS's temp cleanup.
            }
        };
        return folder;
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child sees only the settings a test gives it.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SOCKIT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        // Accounts, keys and known hosts go to a folder of the test run's own, never the user's home.
        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Starts <c>sockit serve</c> with <paramref name="arguments"/> and waits for its <c>ready</c> line.</summary>
    public static Task<SockitProcess> ServeAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ServeAsync(StartInfo(["serve", .. arguments], environment));

    /// <summary>Starts <c>sockit serve</c> as <paramref name="start"/> says and waits for its <c>ready</c> line.</summary>
    public static async Task<SockitProcess> ServeAsync(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        process.Start();
        process.StandardInput.Close();
        var sockit = new SockitProcess(process);
        process.ErrorDataReceived += (_, e) => sockit.OnError(e.Data);
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartupTimeout);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "ready")
            {
                return sockit;
            }

            sockit.Banner.Add(line);
        }

        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"sockit serve exited with {process.ExitCode} before it was ready: {sockit.Error}");
    }

    /// <summary>Runs a client command to completion.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunWithAsync(arguments);

    /// <summary>Runs a client command to completion with extra environment variables and standard input.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunWithAsync(
        string[] arguments, IReadOnlyDictionary<string, string>? environment = null, string input = "")
    {
        using var process = new Process { StartInfo = StartInfo(arguments, environment) };
        process.Start();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartupTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The address printed for <paramref name="service"/> over <paramref name="scheme"/>.</summary>
    public SockitAddress Endpoint(string service, AddressScheme scheme) =>
        Banner.Where(line => line.StartsWith("listening ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts[1] == service)
            .Select(parts => SockitAddress.Parse(parts[2]))
            .First(address => address.Scheme == scheme);

    /// <summary>Sends SIGTERM, as a service manager would, and returns the exit code.</summary>
    public Task<int> TerminateAsync()
    {
        Signal(SigTerm);
        return WaitForExitAsync(StartupTimeout);
    }

    /// <summary>The server's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Sends <paramref name="signal"/> (<see cref="SigTerm"/>, <see cref="SigInt"/>) and returns at once.</summary>
    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>The exit code once the process has ended; a <see cref="TimeoutException"/> if it runs past <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Completes once standard error contains <paramref name="text"/>.</summary>
    public async Task WaitForErrorAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_error)
        {
            if (_error.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _errorWaiters.Add((text, seen));
        }

        await seen.Task.WaitAsync(StartupTimeout);
    }

    private void OnError(string? line)
    {
        lock (_error)
        {
            _error.AppendLine(line);
            var all = _error.ToString();
            foreach (var waiter in _errorWaiters.Where(w => all.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _errorWaiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public const int SigInt = 2;

    public const int SigTerm = 15;

    /// <summary>SIGKILL: the process ends at once, with nothing flushed or cleaned up.</summary>
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
