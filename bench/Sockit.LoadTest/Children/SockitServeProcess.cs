using System.Diagnostics;

namespace Sockit.LoadTest.Children;

/// <summary>
/// The real <c>sockit serve</c> (its own runtime configuration, GC settings included) in a child process, on an
/// ephemeral loopback port.
/// </summary>
internal sealed class SockitServeProcess : IDisposable
{
    private readonly Process _process;

    private SockitServeProcess(Process process, IReadOnlyDictionary<string, string> listeners)
    {
        _process = process;
        Listeners = listeners;
        Address = listeners["Framed"];
    }

    /// <summary>The framed listener's address.</summary>
    public string Address { get; }

    /// <summary>Every listener's address by its service name, as <c>sockit serve</c> prints them (<c>Framed</c>, <c>LegacyExec</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Listeners { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the server has used so far, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="environment">Variables for the server's environment.</param>
    /// <param name="arguments">More arguments for <c>sockit serve</c>, after the tool's own (a later <c>--set</c> wins).</param>
    /// <param name="cancellationToken">Stops waiting for the server to be ready.</param>
    public static async Task<SockitServeProcess> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "sockit.dll"), "serve", "--listen", "framed=tcp://127.0.0.1:0",
            "--set", "Sockit:MaxConnectionsPerAddress=0", "--set", "Sockit:MaxEchoBodyLength=1048576",
            "--set", "Logging:LogLevel:Default=Warning", "--set", "Logging:LogLevel:Sockit.Server.Hosting.IdleMemoryTrimmer=Debug",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sockit serve");
        ChildRegistry.Add(process);
        process.ErrorDataReceived += (_, e) =>
        {
            // The trimmer's own report says when it acted; everything else the server logs is noise here.
            if (e.Data?.Contains("trimmed", StringComparison.Ordinal) == true)
            {
                Console.Error.WriteLine($"[sockit] {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        var listeners = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                // "listening Framed     tcp://127.0.0.1:38591"
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                listeners[fields[1]] = fields[2];
            }
            else if (line == "ready" && listeners.ContainsKey("Framed"))
            {
                return new SockitServeProcess(process, listeners);
            }
        }

        throw new InvalidOperationException($"sockit serve exited with {process.ExitCode} before it was ready");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
