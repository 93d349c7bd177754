using System.CommandLine;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// <c>sockit get REMOTE... [LOCAL] [-r] [-f] [--restart] [-q]</c>: downloads files (folders with <c>-r</c>) from the
/// home, as <c>scp</c> would; an interrupted download resumes from its partial file when run again.
/// </summary>
internal static class GetCommand
{
    public static Command Create(CliContext context) => TransferCommand.Create(
        context,
        "get",
        "Download files from the server.",
        "Remote files (and folders, with -r), then the local destination when more than one path is given "
            + "(a folder when it ends with /, is a folder, or there are several sources; default: the current folder)",
        Transfer.GetAsync);
}
