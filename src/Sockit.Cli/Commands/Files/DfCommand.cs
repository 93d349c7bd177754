using System.CommandLine;
using Sockit.Client;

namespace Sockit.Cli.Commands.Files;

/// <summary><c>sockit df</c>: how much of the account's quota its home uses.</summary>
internal static class DfCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("df", "Show the space the home uses, and the quota.");
        FileVerb.SetAction(command, context, (_, client, token) => ShowAsync(context, client, token));
        return command;
    }

    public static async Task<ExitCode> ShowAsync(CliContext context, SockitClient client, CancellationToken cancellationToken)
    {
        var usage = await client.GetDiskUsageAsync(cancellationToken).ConfigureAwait(false);
        await context.Output.WriteLineAsync(EntryFormat.DiskUsage(usage)).ConfigureAwait(false);
        return ExitCode.Ok;
    }
}
