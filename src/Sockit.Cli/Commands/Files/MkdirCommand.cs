using System.CommandLine;
using Sockit.Client;
using Sockit.Client.Files;

namespace Sockit.Cli.Commands.Files;

/// <summary><c>sockit mkdir PATH... [-p]</c>: creates remote folders.</summary>
internal static class MkdirCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Remote folders to create" };
        var parents = new Option<bool>("--parents", "-p") { Description = "Create missing parents too; an existing folder is fine" };
        var command = new Command("mkdir", "Create remote folders.");
        command.Arguments.Add(paths);
        command.Options.Add(parents);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
            MakeAsync(context, client, "/", parseResult.GetValue(paths)!, parseResult.GetValue(parents), token));
        return command;
    }

    public static Task<ExitCode> MakeAsync(
        CliContext context, SockitClient client, string workingFolder, IReadOnlyList<string> paths, bool parents, CancellationToken cancellationToken) =>
        FileVerb.ForEachAsync(context, paths.Select(path => RemotePath.Resolve(workingFolder, path)), path =>
            client.CreateFolderAsync(path, parents, cancellationToken));
}
