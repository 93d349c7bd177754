using Sockit.Protocol.Files;
using Sockit.Server.Accounts;

namespace Sockit.Cli.Commands.Users;

/// <summary>Where <c>sockit user</c> finds the users file: <c>--store</c>, then <c>SOCKIT_USERS</c>, then the user's config folder.</summary>
internal static class UserStoreLocation
{
    /// <summary>The store for this invocation.</summary>
    public static UserStore Open(string? store, CliContext context) =>
        new(store ?? context.GetEnvironmentVariable("SOCKIT_USERS") ?? DefaultPath(context));

    /// <summary><c>$XDG_CONFIG_HOME/sockit/users.json</c>, else <c>~/.config/sockit/users.json</c>.</summary>
    public static string DefaultPath(CliContext context) =>
        Path.Combine(ConfigDirectory.Resolve(context.GetEnvironmentVariable), ConfigDirectory.UsersFileName);
}
