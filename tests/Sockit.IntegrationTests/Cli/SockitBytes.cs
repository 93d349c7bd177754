using System.Diagnostics;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Cli;

/// <summary>The real <c>sockit</c> command with bytes in and bytes out, for what reading it as text would spoil.</summary>
internal static class SockitBytes
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>sockit</c> with <paramref name="arguments"/>, <paramref name="input"/> on its standard input, to its exit.</summary>
    public static async Task<(int ExitCode, byte[] Output, string Error)> RunAsync(
        string[] arguments, IReadOnlyDictionary<string, string> environment, byte[]? input = null)
    {
        using var process = Process.Start(SockitProcess.StartInfo(arguments, environment))!;
        using var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(input ?? []);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command ended without reading all of its input; what it made of it is in its output.
        }

        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        await reading;
        return (process.ExitCode, output.ToArray(), await error);
    }
}
