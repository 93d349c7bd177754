using System.CommandLine;
using Sockit.Client;
using Sockit.Client.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary><c>sockit ls [PATH...] [-l]</c>: the entries of remote folders, names only or in long format.</summary>
internal static class LsCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Remote folders or files (default: the home, /)",
        };
        var longFormat = new Option<bool>("--long", "-l") { Description = "Show mode, size, modification time and name" };
        var command = new Command("ls", "List remote folders.");
        command.Arguments.Add(paths);
        command.Options.Add(longFormat);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
        {
            var given = parseResult.GetValue(paths) is { Length: > 0 } some ? some : ["/"];
            return ListAsync(context, client, "/", given, parseResult.GetValue(longFormat), token);
        });
        return command;
    }

    /// <summary>
    /// Lists each of <paramref name="paths"/> (relative to <paramref name="workingFolder"/>), with a <c>PATH:</c> line
    /// before each when there are several, as <c>ls</c> does.
    /// </summary>
    public static Task<ExitCode> ListAsync(
        CliContext context, SockitClient client, string workingFolder, IReadOnlyList<string> paths, bool longFormat, CancellationToken cancellationToken)
    {
        bool first = true;
        return FileVerb.ForEachAsync(context, paths.Select(path => RemotePath.Resolve(workingFolder, path)), async path =>
        {
            if (paths.Count > 1)
            {
                await context.Output.WriteLineAsync($"{(first ? "" : "\n")}{EntryFormat.Name(path)}:").ConfigureAwait(false);
                first = false;
            }

            // Lines go out as entries arrive: a large folder streams and is never held whole.
            await foreach (var entry in client.ListAsync(path, cancellationToken).ConfigureAwait(false))
            {
                await context.Output.WriteLineAsync(longFormat ? EntryFormat.LongLine(entry) : EntryFormat.Name(entry.Name)).ConfigureAwait(false);
            }
        });
    }
}
