using System.CommandLine;

namespace Sockit.Cli.Commands.Files;

/// <summary>The verbs of the file service, added to the command tree in one place.</summary>
internal static class FileCommands
{
    /// <summary>Adds <c>put</c>, <c>get</c>, <c>ls</c>, <c>stat</c>, <c>mkdir</c>, <c>rm</c>, <c>mv</c>, <c>df</c> and <c>ftp</c> to <paramref name="root"/>.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(PutCommand.Create(context));
        root.Subcommands.Add(GetCommand.Create(context));
        root.Subcommands.Add(LsCommand.Create(context));
        root.Subcommands.Add(StatCommand.Create(context));
        root.Subcommands.Add(MkdirCommand.Create(context));
        root.Subcommands.Add(RmCommand.Create(context));
        root.Subcommands.Add(MvCommand.Create(context));
        root.Subcommands.Add(DfCommand.Create(context));
        root.Subcommands.Add(FtpCommand.Create(context));
    }
}
