using System.CommandLine;
using Sockit.Protocol.Text;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit whoami</c>: logs in as the options, a saved login or the local key say, and prints who the server sees.</summary>
internal static class WhoAmICommand
{
    public static Command Create(CliContext context)
    {
        var server = new ServerOptions(udpDefault: null);
        var command = new Command("whoami", "Log in and show the user and permissions the server sees (anonymous without credentials).");
        server.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var target = await server.ResolveAsync(parseResult, context, needsLogin: true, token).ConfigureAwait(false);
                var client = await target.ConnectAsync(token).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    var whoami = await client.WhoAmIAsync(token).ConfigureAwait(false);
                    // The names come from the server: escaped, so a hostile one cannot write to the terminal.
                    await context.Output.WriteLineAsync(UntrustedText.Escape(
                        whoami.User is null
                            ? $"anonymous (allowed without a login: {string.Join(", ", whoami.AnonymousOps)})"
                            : $"{whoami.User} ({(whoami.Permissions.Count == 0 ? "no permissions" : string.Join(", ", whoami.Permissions))})",
                        UntrustedText.MaxMessageLength))
                        .ConfigureAwait(false);
                    return ExitCode.Ok;
                }
            },
            cancellationToken));
        return command;
    }
}
