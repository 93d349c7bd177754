using System.CommandLine;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// <c>sockit put LOCAL... [REMOTE] [-r] [-f] [--restart] [-q]</c>: uploads files (folders with <c>-r</c>) to the home,
/// as <c>scp</c> would; an interrupted upload resumes when run again.
/// </summary>
internal static class PutCommand
{
    public static Command Create(CliContext context) => TransferCommand.Create(
        context,
        "put",
        "Upload files to the server.",
        "Local files (and folders, with -r), then the remote destination when more than one path is given "
            + "(a folder when it ends with /, is a folder, or there are several sources; default: the home, /)",
        Transfer.PutAsync);
}
