using System.Collections;
using Sockit.Protocol.Exec;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;
using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Exec;

/// <summary>
/// A command checked and ready to start: what an <c>exec</c> request or a legacy command line asks for, with every
/// argument validated, so that nothing is started for a request that is refused.
/// </summary>
internal sealed class ExecCommand
{
    /// <summary>The most <c>env</c> entries a request may carry.</summary>
    public const int MaxEnvironmentChanges = 256;

    /// <summary>The largest terminal side, in rows or columns.</summary>
    public const int MaxTerminalSide = 1000;

    private const string DefaultTerm = "xterm-256color";

    // The audit log keeps more of a command than an error message quotes: it is the record of what ran.
    private const int MaxDisplayLength = 2000;

    /// <summary>What to start.</summary>
    public required SpawnOptions Spawn { get; init; }

    /// <summary>The command as the audit log shows it: the command line, or the argv items quoted.</summary>
    public required string Display { get; init; }

    /// <summary>When the command's tree is ended for taking too long.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Whether standard input stays open for input frames after the request's body.</summary>
    public bool KeepsInputOpen { get; init; }

    /// <summary>Checks an <c>exec</c> request.</summary>
    /// <exception cref="SockitException"><c>invalid_argument</c>, <c>not_found</c> or <c>not_supported</c>.</exception>
    public static ExecCommand FromRequest(ExecRequest request, ExecOptions options, bool hasId)
    {
        bool pty = request.Pty == true;
        if (pty && !OperatingSystem.IsLinux())
        {
            throw new SockitException(SockitErrorCode.NotSupported, "pty: pseudo-terminals are implemented for Linux servers only");
        }

        if (request.Input == true && !hasId)
        {
            throw Invalid("input: streamed standard input needs the request to have an id");
        }

        var (fileName, arguments, display) = Program(request, options);
        var environment = Environment(request.Env);
        var size = new WindowSize(24, 80);
        if (pty)
        {
            size = new WindowSize(Side(request.Rows, "rows", 24), Side(request.Cols, "cols", 80));
            environment["TERM"] = Term(request.Term);
        }

        return new ExecCommand
        {
            Spawn = new SpawnOptions
            {
                FileName = fileName,
                Arguments = arguments,
                Environment = environment,
                WorkingDirectory = WorkingDirectory(request.Cwd),
                Mode = pty ? SpawnMode.Pty : SpawnMode.Pipes,
                WindowSize = size,

                // Without a body or input frames the command reads end of file at once, as from /dev/null.
                NoStandardInput = request.Input != true && (request.DataSize ?? 0) == 0,
            },
            Display = display,
            Timeout = TimeoutFor(request.TimeoutS, pty ? options.MaxTimeout : options.DefaultTimeout, options.MaxTimeout),
            KeepsInputOpen = request.Input == true,
        };
    }

    /// <summary>A command line for the shell, as the legacy listener receives it.</summary>
    public static ExecCommand FromCommandLine(string commandLine, ExecOptions options) => new()
    {
        Spawn = new SpawnOptions { FileName = options.Shell, Arguments = ["-c", CheckText(commandLine, "command")] },
        Display = UntrustedText.Escape(commandLine, MaxDisplayLength),
        Timeout = options.DefaultTimeout,
    };

    /// <summary>Validates a text argument: no NUL, which would silently cut it short in a C string.</summary>
    public static string CheckText(string? text, string field)
    {
        if (text is null)
        {
            throw Invalid($"{field} must be a string");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid($"{field} contains a NUL character");
        }

        return text;
    }

    private static (string FileName, IReadOnlyList<string> Arguments, string Display) Program(ExecRequest request, ExecOptions options)
    {
        if ((request.Command is null) == (request.Argv is null))
        {
            throw Invalid("give exactly one of command (a string for the shell) and argv (an array: program and arguments)");
        }

        if (request.Command is { } command)
        {
            if (string.IsNullOrWhiteSpace(command))
            {
                throw Invalid("command is empty");
            }

            return (options.Shell, ["-c", CheckText(command, "command")], UntrustedText.Escape(command, MaxDisplayLength));
        }

        var argv = request.Argv!;
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw Invalid("argv is empty: its first item names the program");
        }

        for (int i = 0; i < argv.Count; i++)
        {
            CheckText(argv[i], $"argv[{i}]");
        }

        var display = string.Join(' ', argv.Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=') ? a : $"'{UntrustedText.Escape(a, MaxDisplayLength)}'"));
        return (argv[0], argv.Skip(1).ToArray(), display);
    }

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string?>? changes)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        if (changes is null)
        {
            return environment;
        }

        if (changes.Count > MaxEnvironmentChanges)
        {
            throw Invalid($"env has {changes.Count} entries; at most {MaxEnvironmentChanges}");
        }

        foreach (var (name, value) in changes)
        {
            if (!IsVariableName(name))
            {
                throw Invalid($"env: '{UntrustedText.Escape(name)}' is not a variable name (letters, digits and _, not starting with a digit)");
            }

            if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = CheckText(value, $"env {name}");
            }
        }

        return environment;
    }

    private static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 256
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string? WorkingDirectory(string? cwd)
    {
        if (cwd is null)
        {
            return null;
        }

        CheckText(cwd, "cwd");
        if (cwd.Length == 0)
        {
            throw Invalid("cwd is empty");
        }

        var full = Path.GetFullPath(cwd);
        if (Directory.Exists(full))
        {
            return full;
        }

        if (File.Exists(full))
        {
            throw Invalid($"cwd '{UntrustedText.Escape(cwd)}' is not a folder");
        }

        throw new SockitException(SockitErrorCode.NotFound, $"cwd '{UntrustedText.Escape(cwd)}' does not exist");
    }

    private static TimeSpan TimeoutFor(double? seconds, TimeSpan fallback, TimeSpan max)
    {
        if (seconds is not double value)
        {
            return fallback < max ? fallback : max;
        }

        if (!double.IsFinite(value) || value <= 0)
        {
            throw Invalid("timeout_s must be a number of seconds above 0");
        }

        if (value > max.TotalSeconds)
        {
            throw Invalid($"timeout_s {value} is over this server's maximum of {max.TotalSeconds:0} seconds");
        }

        return TimeSpan.FromSeconds(value);
    }

    private static ushort Side(int? value, string field, ushort fallback)
    {
        if (value is not int side)
        {
            return fallback;
        }

        return side is >= 1 and <= MaxTerminalSide ? (ushort)side : throw Invalid($"{field} must be from 1 to {MaxTerminalSide}");
    }

    private static string Term(string? term)
    {
        if (term is null)
        {
            return DefaultTerm;
        }

        return term.Length is > 0 and <= 64 && term.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.' or '_')
            ? term
            : throw Invalid("term must be up to 64 letters, digits, -, +, . and _");
    }

    private static SockitException Invalid(string message) => new(SockitErrorCode.InvalidArgument, message);
}
