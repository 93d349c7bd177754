using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Sockit.IntegrationTests.Interop;

/// <summary>
/// Runs the Python client's own test suite (<c>interop/python/test_sockit_client.py</c>) against the built
/// <c>sockit</c> CLI, so <c>dotnet test</c> proves a standard-library Python client written the tutorials' way
/// talks to the server. Needs <c>python3</c> on the PATH and the CLI built in the same configuration as this
/// test assembly (<c>src/Sockit.Cli/bin/&lt;Configuration&gt;/net10.0/sockit.dll</c>).
/// </summary>
public sealed class PythonInteropTests(ITestOutputHelper output)
{
    private const string Python = "python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Python_client_test_suite_passes_against_the_sockit_cli()
    {
        var repo = SockitProcess.RepositoryRoot;
        var sockitDll = SockitProcess.DllPath;
        Assert.True(File.Exists(sockitDll), $"The sockit CLI is not built at {sockitDll}.");

        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = Path.Combine(repo, "interop", "python"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "-m", "unittest", "-v", "test_sockit_client" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test suite splits this with shlex and appends `serve --listen ...`.
        var serve = $"\"{SockitProcess.DotnetHost}\" \"{sockitDll}\"";
        start.Environment["SOCKIT_SERVE"] = serve;
        start.Environment["XDG_CONFIG_HOME"] = SockitProcess.ConfigHome;
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";

        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"Could not start '{Python}' ({ex.Message}). The Python interop tests need Python 3.8 or later on the PATH as python3.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.WaitForExit(); // drains the asynchronous output readers
        var text = $"SOCKIT_SERVE={serve}\n{Snapshot(log)}";
        output.WriteLine(text);

        Assert.False(timedOut, $"python3 -m unittest did not finish within {Timeout.TotalSeconds:0} s and was killed. Output:\n{text}");
        Assert.True(process.ExitCode == 0, $"python3 -m unittest exited with {process.ExitCode}. Output:\n{text}");
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
