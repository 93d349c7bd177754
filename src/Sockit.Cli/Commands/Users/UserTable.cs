using System.Globalization;
using Sockit.Server.Accounts;
using Spectre.Console;

namespace Sockit.Cli.Commands.Users;

/// <summary>
/// <c>sockit user list</c>'s output: a drawn table at a terminal; for another program, a header line and one line per
/// account, fields separated by tabs, without box drawing or escape codes.
/// </summary>
internal static class UserTable
{
    private static readonly string[] Columns = ["name", "permissions", "quota", "password", "keys"];

    public static async Task WriteAsync(CliContext context, string path, IReadOnlyList<UserAccount> accounts)
    {
        if (!context.OutputIsTerminal)
        {
            await context.Output.WriteLineAsync(string.Join('\t', Columns)).ConfigureAwait(false);
            foreach (var account in accounts)
            {
                await context.Output.WriteLineAsync(string.Join('\t', Cells(account, quotaFormat: "D"))).ConfigureAwait(false);
            }

            return;
        }

        if (accounts.Count == 0)
        {
            await context.Output.WriteLineAsync($"no users in {path}").ConfigureAwait(false);
            return;
        }

        var table = new Table().AddColumns(Columns);
        foreach (var account in accounts)
        {
            table.AddRow([.. Cells(account, quotaFormat: "N0").Select(Markup.Escape)]);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(context.Output),
        });
        console.Write(table);
    }

    // "-" marks an empty field, so every line has all its fields, even split on white space.
    private static string[] Cells(UserAccount account, string quotaFormat) =>
    [
        account.Name,
        account.Permissions == Permissions.None ? "-" : UserCommand.Describe(account.Permissions),
        account.QuotaBytes?.ToString(quotaFormat, CultureInfo.InvariantCulture) ?? "-",
        account.Password is null ? "no" : "yes",
        account.Keys.Count == 0 ? "-" : string.Join(',', account.Keys.Select(key => key.Id)),
    ];
}
