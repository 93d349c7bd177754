using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Accounts;

// Between the file's records (names as strings, so the file reads well) and the account types.
public sealed partial class UserStore
{
    private static readonly Permissions[] Each = [Permissions.Exec, Permissions.Files, Permissions.Chat, Permissions.Admin];

    /// <summary>Parses permission names such as <c>exec,files</c> (case-insensitive); <c>all</c> means every one.</summary>
    /// <exception cref="SockitException">An unknown name (<c>invalid_argument</c>).</exception>
    public static Permissions ParsePermissions(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var result = Permissions.None;
        foreach (var raw in names.SelectMany(name => name.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (raw.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                result |= Each.Aggregate(Permissions.None, (all, one) => all | one);
            }
            else if (Enum.TryParse<Permissions>(raw, ignoreCase: true, out var one) && Each.Contains(one))
            {
                result |= one;
            }
            else
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"unknown permission '{raw}' (use exec, files, chat, admin or all)");
            }
        }

        return result;
    }

    private static Permissions ParsePermissions(UserRecord record) => ParsePermissions(record.Permissions);

    /// <summary>The names of <paramref name="permissions"/>, lower case, in a fixed order (<c>exec</c>, <c>files</c>, <c>chat</c>, <c>admin</c>).</summary>
    public static List<string> PermissionNames(Permissions permissions) =>
        [.. Each.Where(one => permissions.HasFlag(one)).Select(one => one.ToString().ToLowerInvariant())];

    private static UserAccount ToAccount(UserRecord record) => new(
        record.Name,
        ParsePermissions(record),
        record.QuotaBytes,
        record.Scram is { } scram ? new ScramCredentials(scram.Salt, scram.Iterations, scram.StoredKey, scram.ServerKey) : null,
        [.. record.Keys.Select(key => new AccountKey(key.Id, key.Secret, key.Created))]);

    private static ScramRecord ToRecord(ScramCredentials credentials) => new()
    {
        Salt = credentials.Salt,
        Iterations = credentials.Iterations,
        StoredKey = credentials.StoredKey,
        ServerKey = credentials.ServerKey,
    };
}
