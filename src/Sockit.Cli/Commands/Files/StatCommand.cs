using System.CommandLine;
using Sockit.Client;
using Sockit.Client.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary><c>sockit stat PATH...</c>: type, size, modification time and mode of remote entries.</summary>
internal static class StatCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Remote files or folders" };
        var command = new Command("stat", "Describe remote files or folders.");
        command.Arguments.Add(paths);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
            StatAsync(context, client, "/", parseResult.GetValue(paths)!, token));
        return command;
    }

    /// <summary>Describes each of <paramref name="paths"/>, a blank line between them.</summary>
    public static Task<ExitCode> StatAsync(
        CliContext context, SockitClient client, string workingFolder, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        bool first = true;
        return FileVerb.ForEachAsync(context, paths.Select(path => RemotePath.Resolve(workingFolder, path)), async resolved =>
        {
            var entry = await client.StatAsync(resolved, cancellationToken).ConfigureAwait(false);
            if (!first)
            {
                await context.Output.WriteLineAsync().ConfigureAwait(false);
            }

            first = false;
            foreach (var line in EntryFormat.StatLines(resolved, entry))
            {
                await context.Output.WriteLineAsync(line).ConfigureAwait(false);
            }
        });
    }
}
