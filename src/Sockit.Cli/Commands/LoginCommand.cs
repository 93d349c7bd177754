using System.CommandLine;
using Sockit.Client.Auth;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Text;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit login [ADDRESS]</c> logs in once and saves the login for that server, so later commands need no
/// password; <c>sockit logout [ADDRESS]</c> forgets it.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var (address, server) = Arguments();
        var command = new Command("login", "Log in to a server and save the login (never the password) for later commands.");
        command.Arguments.Add(address);
        server.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async token =>
            {
                var target = Target(parseResult, context, address, server);
                var credentials = await server.Credentials.ResolveExplicitAsync(parseResult, context, target.Address, token).ConfigureAwait(false)
                    ?? AskLater(context, target.Address);
                var client = await (target with { Credentials = credentials }).ConnectAsync(token).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    var store = CredentialOptions.SavedLogins(context);
                    store.Save(client, await credentials.GetAsync(token).ConfigureAwait(false));
                    var permissions = client.User!.Permissions.Count == 0 ? "no permissions" : string.Join(", ", client.User.Permissions);
                    await context.Output.WriteLineAsync(UntrustedText.Escape($"logged in to {target.Address} as {client.User.Name} ({permissions}); saved in {store.Path}", UntrustedText.MaxMessageLength))
                        .ConfigureAwait(false);
                    return ExitCode.Ok;
                }
            },
            cancellationToken));
        return command;
    }

    public static Command CreateLogout(CliContext context)
    {
        var (address, server) = Arguments();
        var command = new Command("logout", "Forget the login saved for a server.");
        command.Arguments.Add(address);
        command.Options.Add(server.Server);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(
            context,
            async _ =>
            {
                var target = Target(parseResult, context, address, server);
                var store = CredentialOptions.SavedLogins(context);
                var message = store.Remove(target.Address)
                    ? $"forgot the login for {target.Address}"
                    : $"no login was saved for {target.Address}";
                await context.Output.WriteLineAsync(message).ConfigureAwait(false);
                return ExitCode.Ok;
            },
            cancellationToken));
        return command;
    }

    private static (Argument<string?> Address, ServerOptions Server) Arguments() => (
        new Argument<string?>("address")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The server (as for --server; default: $SOCKIT_SERVER, else 127.0.0.1:9000)",
        },
        new ServerOptions(udpDefault: null));

    private static ServerTarget Target(ParseResult parseResult, CliContext context, Argument<string?> address, ServerOptions server) =>
        server.Resolve(parseResult, context, parseResult.GetValue(address));

    /// <summary>The user name and password, typed at the terminal once the server has answered.</summary>
    private static PendingCredentials AskLater(CliContext context, SockitAddress address)
    {
        if (context.ReadLine is not { } readLine || context.ReadSecret is not { } readSecret)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument, "say who to log in as: --user NAME with --password-stdin, or --key-file FILE");
        }

        return PendingCredentials.AskLater(async cancellationToken =>
        {
            var user = (await readLine($"User at {address}: ", cancellationToken).ConfigureAwait(false)).Trim();
            var password = await readSecret($"Password for {user}: ", cancellationToken).ConfigureAwait(false);
            return user.Length == 0 || password.Length == 0
                ? throw new SockitException(SockitErrorCode.InvalidArgument, "a user name and a password are needed")
                : SockitCredentials.FromPassword(user, password);
        });
    }
}
