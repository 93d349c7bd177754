namespace Sockit.Cli.Tests;

/// <summary>Runs <c>sockit</c> through the real parser with in-memory input, output, error and environment.</summary>
internal static class CliHarness
{
    public static async Task<CliResult> RunAsync(
        string[] args,
        string input = "",
        IReadOnlyDictionary<string, string>? environment = null,
        TextReader? reader = null,
        Func<string, bool>? confirm = null,
        CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Input = reader ?? new StringReader(input),
            Output = output,
            Error = error,
            GetEnvironmentVariable = name => environment?.GetValueOrDefault(name),
            Confirm = confirm,
        };

        int exitCode = await SockitCommandLine.InvokeAsync(args, context, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
