using System.CommandLine;
using Sockit.Client;
using Sockit.Client.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary><c>sockit rm PATH... [-r]</c>: removes remote files, and folders with everything in them with <c>-r</c>.</summary>
internal static class RmCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Remote files or folders to remove" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Remove folders and everything in them" };
        var command = new Command("rm", "Remove remote files or folders.");
        command.Arguments.Add(paths);
        command.Options.Add(recursive);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
            RemoveAsync(context, client, "/", parseResult.GetValue(paths)!, parseResult.GetValue(recursive), token));
        return command;
    }

    public static Task<ExitCode> RemoveAsync(
        CliContext context, SockitClient client, string workingFolder, IReadOnlyList<string> paths, bool recursive, CancellationToken cancellationToken) =>
        FileVerb.ForEachAsync(context, paths.Select(path => RemotePath.Resolve(workingFolder, path)), path =>
            client.RemoveAsync(path, recursive, cancellationToken));
}
