using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace Sockit.Cli.Commands.Serve;

/// <summary>
/// Gives <c>sockit serve</c> the runtime's own recompilation threshold. The command is one binary, and its
/// <c>System.Runtime.TieredCompilation.CallCountThreshold</c> of 20,000 calls suits a client command: a short process
/// that would otherwise spend a fifth of a transfer's CPU recompiling code it is about to leave. A server is the
/// opposite: its per-request code runs once per request, so it stayed unoptimised for its first 20,000 requests, and a
/// fresh server's <c>put -r</c> of 1,000 files took a fifth longer. The runtime reads the threshold once, as it starts,
/// so on Linux <c>serve</c> replaces itself at once (<c>execve</c>: the same process, the same id, signals and
/// descriptors) with the runtime's default (30) set in its environment, before it prints or opens anything.
/// </summary>
/// <remarks>
/// An operator who sets <c>DOTNET_TC_CallCountThreshold</c> keeps it, and nothing is restarted. The restarted server
/// takes both variables out of the environment its commands (<c>sockit exec</c>) inherit.
/// </remarks>
internal static partial class ServeRestart
{
    /// <summary>The runtime's variable for the threshold (hexadecimal).</summary>
    public const string ThresholdVariable = "DOTNET_TC_CallCountThreshold";

    /// <summary>Set on the restart, so that the restarted process knows it is one.</summary>
    public const string MarkerVariable = "SOCKIT_SERVE_RESTARTED";

    /// <summary>The runtime's default threshold, 30 calls, in the hexadecimal the runtime reads.</summary>
    public const string RuntimeDefaultThreshold = "1E";

    /// <summary>
    /// Restarts the process as described above when <paramref name="args"/> run <c>serve</c>; returns when it is not
    /// needed, or when the restart failed (the server then runs with the binary's threshold). Call it first thing.
    /// </summary>
    public static void RestartIfNeeded(string[] args)
    {
        // A client command (every other verb) reads nothing more: this runs at the start of each.
        if (!OperatingSystem.IsLinux() || args.Length == 0 || args[0] != ServeCommand.Name)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables();
        if (IsRestarted(environment))
        {
            Environment.SetEnvironmentVariable(ThresholdVariable, null);
            Environment.SetEnvironmentVariable(MarkerVariable, null);
            return;
        }

        if (RestartEnvironment(args, environment) is not { } restarted)
        {
            return;
        }

        try
        {
            var arguments = File.ReadAllBytes("/proc/self/cmdline");
            RemoveRuntimeEndpoints();
            Exec("/proc/self/exe", Split(arguments), restarted.Select(pair => $"{pair.Key}={pair.Value}").ToList());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /proc, or a temporary folder that cannot be read: the server runs as it is.
        }
    }

    /// <summary>
    /// Removes the diagnostics socket and debugger pipes this runtime made in the temporary folder. They are named by
    /// the process id and start time, which the restarted runtime shares: it could not make its own (so
    /// <c>dotnet-trace</c> and <c>dotnet-counters</c> could not reach the server), and the old ones would stay behind.
    /// </summary>
    private static void RemoveRuntimeEndpoints()
    {
        int id = Environment.ProcessId;
        foreach (var pattern in new[] { $"dotnet-diagnostic-{id}-*-socket", $"clr-debug-pipe-{id}-*" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), pattern))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Then the restarted runtime goes without it, as it would have anyway.
                }
            }
        }
    }

    /// <summary>Whether this process is the restart.</summary>
    public static bool IsRestarted(IDictionary environment) => environment.Contains(MarkerVariable);

    /// <summary>
    /// The environment to restart <c>serve</c> with, or <see langword="null"/> when <paramref name="args"/> do not run
    /// <c>serve</c> or <paramref name="environment"/> already says what the threshold is (or that this is the restart).
    /// </summary>
    public static Dictionary<string, string>? RestartEnvironment(string[] args, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        if (args.Length == 0 || args[0] != ServeCommand.Name
            || environment.Contains(ThresholdVariable) || environment.Contains(MarkerVariable))
        {
            return null;
        }

        var restarted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in environment)
        {
            restarted[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        restarted[ThresholdVariable] = RuntimeDefaultThreshold;
        restarted[MarkerVariable] = "1";
        return restarted;
    }

    /// <summary>The NUL-separated strings of <c>/proc/self/cmdline</c>.</summary>
    public static List<string> Split(ReadOnlySpan<byte> commandLine)
    {
        var strings = new List<string>();
        while (!commandLine.IsEmpty)
        {
            int end = commandLine.IndexOf((byte)0);
            if (end < 0)
            {
                end = commandLine.Length;
            }

            strings.Add(Encoding.UTF8.GetString(commandLine[..end]));
            commandLine = commandLine[Math.Min(end + 1, commandLine.Length)..];
        }

        return strings;
    }

    private static unsafe void Exec(string path, List<string> arguments, List<string> environment)
    {
        var allocated = new List<nint>();
        try
        {
            var argv = Native(arguments, allocated);
            var envp = Native(environment, allocated);
            fixed (nint* argvPointer = argv)
            fixed (nint* envpPointer = envp)
            {
                // Returns only if it failed; the server then runs as it is.
                _ = ExecVe(path, argvPointer, envpPointer);
            }
        }
        finally
        {
            foreach (var pointer in allocated)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>A NULL-terminated array of UTF-8 C strings; every string it allocates is added to <paramref name="allocated"/>.</summary>
    private static nint[] Native(List<string> strings, List<nint> allocated)
    {
        var array = new nint[strings.Count + 1];
        for (int i = 0; i < strings.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
            allocated.Add(array[i]);
        }

        return array;
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int ExecVe(string path, nint* argv, nint* envp);
}
