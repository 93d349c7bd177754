namespace Sockit.Cli.Tests;

/// <summary>Runs <c>sockit</c> through the real parser with in-memory input, output, error and environment.</summary>
internal static class CliHarness
{
    /// <summary>An empty config folder for commands that look for saved logins or keys.</summary>
    public static string IsolatedConfigHome { get; } = Path.Combine(Path.GetTempPath(), $"sockit-cli-tests-{Guid.NewGuid():N}");

    public static async Task<CliResult> RunAsync(
        string[] args,
        string input = "",
        IReadOnlyDictionary<string, string>? environment = null,
        TextReader? reader = null,
        Func<string, bool>? confirm = null,
        bool outputIsTerminal = false,
        Func<string, string>? readSecret = null,
        Func<string, string>? readLine = null,
        CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Input = reader ?? new StringReader(input),
            Output = output,
            Error = error,
            // Saved logins, keys and known hosts come from a folder of the test run's own, never the user's home.
            GetEnvironmentVariable = name => environment?.GetValueOrDefault(name)
                ?? (name == "XDG_CONFIG_HOME" ? IsolatedConfigHome : null),
            Confirm = confirm,
            OutputIsTerminal = outputIsTerminal,
            ReadSecret = readSecret is null ? null : (prompt, _) => Task.FromResult(readSecret(prompt)),
            ReadLine = readLine is null ? null : (prompt, _) => Task.FromResult(readLine(prompt)),
        };

        int exitCode = await SockitCommandLine.InvokeAsync(args, context, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
