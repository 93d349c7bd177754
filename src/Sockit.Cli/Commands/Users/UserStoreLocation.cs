using Sockit.Protocol.Errors;
using Sockit.LocalFiles;
using Sockit.Server.Accounts;

namespace Sockit.Cli.Commands.Users;

/// <summary>Where <c>sockit user</c> finds the users file: <c>--store</c>, then <c>SOCKIT_USERS</c>, then the user's config folder.</summary>
internal static class UserStoreLocation
{
    /// <summary>Names the users file when <c>--store</c> is not given.</summary>
    public const string EnvironmentVariable = "SOCKIT_USERS";

    /// <summary>
    /// The store for this invocation. A file named on purpose (<c>--store</c>, <c>$SOCKIT_USERS</c>) must exist unless
    /// <paramref name="mayCreate"/>: a typo there would otherwise look like a store without users. The default file
    /// missing just means no accounts yet.
    /// </summary>
    /// <exception cref="SockitException"><c>invalid_argument</c>: the named file does not exist.</exception>
    public static UserStore Open(string? store, CliContext context, bool mayCreate = false)
    {
        var fromEnvironment = context.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } variable ? variable : null;
        var named = store ?? fromEnvironment;
        var users = new UserStore(named ?? DefaultPath(context));
        if (named is not null && !mayCreate && !File.Exists(users.Path))
        {
            var source = store is null ? $"${EnvironmentVariable}" : "--store";
            throw new SockitException(
                SockitErrorCode.InvalidArgument, $"no users file {users.Path} (named by {source}); 'sockit user add' creates one");
        }

        return users;
    }

    /// <summary><c>$XDG_CONFIG_HOME/sockit/users.json</c>, else <c>~/.config/sockit/users.json</c>.</summary>
    public static string DefaultPath(CliContext context) =>
        Path.Combine(ConfigDirectory.Resolve(context.GetEnvironmentVariable), ConfigDirectory.UsersFileName);
}
