using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Sockit.Cli.Commands;
using Sockit.Cli.Commands.Serve;

namespace Sockit.Cli;

/// <summary>Builds the <c>sockit</c> command tree and runs it.</summary>
internal static class SockitCommandLine
{
    /// <summary>
    /// How long a client verb gets to wind up after Ctrl+C or SIGTERM before it is cut off. <c>serve</c> takes the
    /// signals itself: its wind-up is the configured shutdown grace period. So does <c>shell</c>, where Ctrl+C ends
    /// only the command that runs.
    /// </summary>
    private static readonly TimeSpan ClientTerminationTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The root command with one subcommand per verb.</summary>
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("sockit: socket tutorials as a tool - upper-case echo, time, and a framed protocol.");
        root.Subcommands.Add(EchoCommand.Create(context));
        root.Subcommands.Add(TimeCommand.Create(context));
        Commands.Files.FileCommands.AddTo(root, context);
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(CertCommand.Create(context));
        root.Subcommands.Add(Commands.Users.UserCommand.Create(context));
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(LoginCommand.CreateLogout(context));
        root.Subcommands.Add(WhoAmICommand.Create(context));
        root.Subcommands.Add(ExecCommand.Create(context));
        root.Subcommands.Add(ShellCommand.Create(context));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the process exit code.</summary>
    public static async Task<int> InvokeAsync(
        IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = Create(context);
        if (args.Count > 0 && args[0] == ExecCommand.Name)
        {
            // Its options end where the remote command line begins, as ssh's do.
            args = CommandLineWords.EndOptionsAtFirstArgument(root.Subcommands.Single(verb => verb.Name == ExecCommand.Name), args, start: 1);
        }

        var parseResult = root.Parse(args);
        string? usageError = parseResult.Action is ParseErrorAction
            ? string.Join(" ", parseResult.Errors.Select(e => e.Message))
            : FindUnknownOption(parseResult) is { } unknown
                ? $"Unknown option '{unknown}' (to send text that starts with '-', put it after --)."
                : null;
        if (usageError is not null)
        {
            // The parser's own report is several lines plus the whole help text; a usage slip deserves one line.
            await context.Error.WriteLineAsync($"sockit: {CommandRunner.OneLine(usageError)} (see '{CommandPath(parseResult.CommandResult)} --help')")
                .ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }

        bool handlesOwnSignals = parseResult.CommandResult.Command.Name is ServeCommand.Name or ShellCommand.Name;
        var configuration = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = context.HandleTerminationSignals && !handlesOwnSignals ? ClientTerminationTimeout : null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command as typed, e.g. <c>sockit user add</c>, for pointing at its help.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var each })
            {
                names.Add(each is RootCommand ? "sockit" : each.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// The parser hands an unknown option to a command's free-text argument (<c>echo --uper hi</c> would echo
    /// "--uper hi"); such a token is a typo unless it comes after <c>--</c>.
    /// </summary>
    private static string? FindUnknownOption(ParseResult parseResult)
    {
        var beforeDoubleDash = parseResult.Tokens
            .TakeWhile(token => token.Type != TokenType.DoubleDash)
            .ToHashSet<Token>(ReferenceEqualityComparer.Instance);
        return parseResult.CommandResult.Children
            .OfType<ArgumentResult>()
            .SelectMany(argument => argument.Tokens)
            .Where(token => beforeDoubleDash.Contains(token) && token.Value.Length > 1 && token.Value[0] == '-')
            .Select(token => token.Value)
            .FirstOrDefault();
    }
}
