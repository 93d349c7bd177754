using System.Diagnostics;

namespace Sockit.LoadTest.Children;

/// <summary>
/// The real <c>sockit serve</c> (its own runtime configuration, GC settings included) in a child process, on an
/// ephemeral loopback port.
/// </summary>
internal sealed class SockitServeProcess : IDisposable
{
    private readonly Process _process;

    private SockitServeProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

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

    public static async Task<SockitServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
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
        string? address = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                address = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
            }
            else if (line == "ready" && address is not null)
            {
                return new SockitServeProcess(process, address);
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
