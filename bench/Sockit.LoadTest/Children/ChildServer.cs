using System.Diagnostics;
using System.Globalization;

namespace Sockit.LoadTest.Children;

/// <summary>
/// A server the tool runs in a process of its own, so client and server share neither a GC nor a thread
/// pool. The child reports its port on standard output and answers <c>stats</c> on standard input.
/// </summary>
internal sealed class ChildServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ChildServer(Process process, int port, int? tlsPort)
    {
        _process = process;
        Port = port;
        TlsPort = tlsPort;
    }

    public int Port { get; }

    /// <summary>The TLS endpoint's port, for a server started with <c>--serve-sockit-tls</c>.</summary>
    public int? TlsPort { get; }

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

    /// <summary>Starts the server for <paramref name="kind"/> and waits until it listens.</summary>
    public static async Task<ChildServer> StartAsync(
        TargetKind kind, LoadOptions options, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = kind switch
        {
            TargetKind.Sockit => Self("--serve-sockit"),
            TargetKind.SockitTls => Self("--serve-sockit-tls"),
            TargetKind.Raw => Self("--serve-raw"),
            TargetKind.Python => Python(options.Python, "python_server.py"),
            TargetKind.PythonExec => Python(options.Python, "python_exec_server.py"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "this target is not started by the tool"),
        };
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        ChildRegistry.Add(process);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            int? tlsPort = null;
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the {kind} server exited before it listened (exit code {ExitCode(process)})");
                if (line.StartsWith("tls_port=", StringComparison.Ordinal))
                {
                    tlsPort = int.Parse(line.AsSpan("tls_port=".Length), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("port=", StringComparison.Ordinal))
                {
                    return new ChildServer(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture), tlsPort);
                }
            }
        }
        catch
        {
            ChildRegistry.Remove(process);
            ChildRegistry.Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Reads the child's memory: RSS from <c>/proc</c>, managed bytes from the child itself.</summary>
    public async Task<ServerStats> ReadStatsAsync(CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("stats".AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        long managed = -1;
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the server exited while asked for its stats");
            if (!line.StartsWith("stats", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var field in line.Split(' '))
            {
                if (field.StartsWith("managed_bytes=", StringComparison.Ordinal))
                {
                    managed = long.Parse(field.AsSpan("managed_bytes=".Length), CultureInfo.InvariantCulture);
                }
            }

            break;
        }

        // Read after the child answered, so a collection it just ran is reflected.
        return new ServerStats(ProcStatus.ReadRssBytes(_process.Id), managed);
    }

    public void Dispose()
    {
        ChildRegistry.Remove(_process);
        try
        {
            // Closing standard input asks the child to stop cleanly; a kill follows if it does not.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(3000))
            {
                ChildRegistry.Kill(_process);
            }
        }
        catch (IOException)
        {
            ChildRegistry.Kill(_process);
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Self(string mode)
    {
        // Run as an apphost the path is the tool itself; run as "dotnet Sockit.LoadTest.dll" it is dotnet.
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's path");
        var start = new ProcessStartInfo(path);
        if (Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sockit.LoadTest.dll"));
        }

        start.ArgumentList.Add(mode);
        return start;
    }

    private static ProcessStartInfo Python(string interpreter, string scriptName)
    {
        var script = Path.Combine(AppContext.BaseDirectory, scriptName);
        var start = new ProcessStartInfo(interpreter);
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        return start;
    }

    private static string ExitCode(Process process) =>
        process.WaitForExit(2000) ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";
}
