using System.CommandLine;
using Sockit.Client;

namespace Sockit.Cli.Commands.Files;

/// <summary>What <c>put</c> and <c>get</c> have in common on the command line: paths, then the destination, and the transfer options.</summary>
internal static class TransferCommand
{
    /// <summary>A transfer verb: sources and destination for the local and remote working folders.</summary>
    public delegate Task<ExitCode> Run(
        CliContext context, SockitClient client, IReadOnlyList<string> sources, string? destination, TransferChoices choices,
        string localFolder, string remoteFolder, CancellationToken cancellationToken);

    public static Command Create(CliContext context, string name, string description, string pathsDescription, Run run)
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = pathsDescription };
        var options = new TransferOptions();
        var command = new Command(name, description);
        command.Arguments.Add(paths);
        options.AddTo(command);
        FileVerb.SetAction(command, context, (parseResult, client, token) =>
        {
            var (sources, destination) = Split(parseResult.GetValue(paths)!);
            return run(context, client, sources, destination, options.Read(parseResult), Environment.CurrentDirectory, "/", token);
        });
        return command;
    }

    /// <summary>The sources and the destination: with more than one path the last is the destination, as with <c>cp</c>.</summary>
    public static (IReadOnlyList<string> Sources, string? Destination) Split(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Count > 1 ? (paths.Take(paths.Count - 1).ToList(), paths[^1]) : (paths, null);
    }
}
