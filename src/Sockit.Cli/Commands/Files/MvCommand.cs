using System.CommandLine;
using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// <c>sockit mv FROM... TO [-f]</c>: renames a remote file or folder, or moves several into a folder (when
/// <c>TO</c> is an existing folder or ends with <c>/</c>), as <c>mv</c> does.
/// </summary>
internal static class MvCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path")
        {
            Arity = new ArgumentArity(2, ArgumentArity.ZeroOrMore.MaximumNumberOfValues),
            Description = "What to move, then where to: a new name, or a folder to move into",
        };
        var overwrite = new Option<bool>("--force", "-f") { Description = "Replace an existing file at the destination" };
        var command = new Command("mv", "Rename or move remote files and folders.");
        command.Arguments.Add(paths);
        command.Options.Add(overwrite);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
            MoveAsync(context, client, "/", parseResult.GetValue(paths)!, parseResult.GetValue(overwrite), token));
        return command;
    }

    /// <summary>Moves all but the last of <paramref name="paths"/> to the last.</summary>
    public static async Task<ExitCode> MoveAsync(
        CliContext context, SockitClient client, string workingFolder, IReadOnlyList<string> paths, bool overwrite, CancellationToken cancellationToken)
    {
        if (paths.Count < 2)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "mv needs what to move and where to");
        }

        var typed = paths[^1];
        var target = RemotePath.Resolve(workingFolder, typed);
        bool intoFolder = await RemoteTarget.IsFolderAsync(client, typed, target, paths.Count - 1, cancellationToken).ConfigureAwait(false);
        return await FileVerb.ForEachAsync(context, paths.Take(paths.Count - 1).Select(path => RemotePath.Resolve(workingFolder, path)), from =>
        {
            var to = intoFolder ? RemotePath.Resolve(target, RemotePath.NameOf(from)) : target;
            return client.MoveAsync(from, to, overwrite, cancellationToken);
        }).ConfigureAwait(false);
    }
}
