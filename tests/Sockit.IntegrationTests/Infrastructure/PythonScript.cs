using System.Diagnostics;
using System.Text;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>Runs a Python script with <c>python3</c>, as a learner runs a tutorial's: from a file, typing on its standard input.</summary>
public static class PythonScript
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> on standard input, then end of file.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, string input = "")
    {
        var file = Path.Combine(Path.GetTempPath(), $"sockit-script-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add(file);
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await output, await error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
