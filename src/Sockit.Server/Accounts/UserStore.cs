using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.LocalFiles;
using Sockit.Protocol.Text;

namespace Sockit.Server.Accounts;

/// <summary>
/// The accounts, in one JSON file that only its owner may read or write. Every change is a whole new file
/// moved over the old one, so a crash never leaves half a file; changes from several processes (the server
/// and <c>sockit user</c>) are serialised with an exclusive lock file.
/// </summary>
public sealed partial class UserStore
{
    /// <summary>The longest user name an account may have, in UTF-16 code units.</summary>
    public const int MaxNameLength = 64;

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <summary>Uses the users file at <paramref name="path"/>; it is created on the first change.</summary>
    public UserStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The users file.</summary>
    public string Path { get; }

    /// <summary>Every account, sorted by name.</summary>
    public IReadOnlyList<UserAccount> List() =>
        [.. Read().Users.Select(ToAccount).OrderBy(user => user.Name, StringComparer.Ordinal)];

    /// <summary>The account called <paramref name="name"/>, or <see langword="null"/>.</summary>
    public UserAccount? Find(string name)
    {
        var record = Read().Users.Find(user => user.Name == name);
        return record is null ? null : ToAccount(record);
    }

    /// <summary>Creates an account. A password is optional: key-only accounts suit scripts.</summary>
    /// <exception cref="SockitException">The name is taken or not valid (<c>invalid_argument</c>).</exception>
    public UserAccount Add(string name, string? password, Permissions permissions, long? quotaBytes = null, int iterations = 4096)
    {
        ValidateName(name);
        if (quotaBytes is < 0)
        {
            throw Invalid("the quota must not be negative");
        }

        var record = new UserRecord
        {
            Name = name,
            Permissions = PermissionNames(permissions),
            QuotaBytes = quotaBytes,
            Scram = password is null ? null : ToRecord(ScramCredentials.Create(password, iterations)),
        };
        Change(file =>
        {
            if (file.Users.Exists(user => user.Name == name))
            {
                throw Invalid($"user '{name}' already exists");
            }

            file.Users.Add(record);
        });
        return ToAccount(record);
    }

    /// <summary>Deletes an account.</summary>
    public void Remove(string name) => Change(file =>
    {
        if (file.Users.RemoveAll(user => user.Name == name) == 0)
        {
            throw NoSuchUser(name);
        }
    });

    /// <summary>Replaces an account's password verifier (with a fresh salt).</summary>
    public void SetPassword(string name, string password, int iterations = 4096)
    {
        var credentials = ScramCredentials.Create(password, iterations);
        Change(file => Get(file, name).Scram = ToRecord(credentials));
    }

    /// <summary>Adds <paramref name="permissions"/> to an account.</summary>
    public void Grant(string name, Permissions permissions) =>
        Change(file => Update(Get(file, name), current => current | permissions));

    /// <summary>Takes <paramref name="permissions"/> away from an account.</summary>
    public void Revoke(string name, Permissions permissions) =>
        Change(file => Update(Get(file, name), current => current & ~permissions));

    /// <summary>Issues a new HMAC key. Its secret is returned here and never shown again.</summary>
    public AccountKey IssueKey(string name)
    {
        var key = new AccountKey(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), HmacChallenge.NewKey(), DateTimeOffset.UtcNow);
        Change(file => Get(file, name).Keys.Add(new KeyRecord { Id = key.Id, Secret = key.Secret, Created = key.Created }));
        return key;
    }

    /// <summary>Withdraws the key <paramref name="keyId"/> from an account.</summary>
    public void RevokeKey(string name, string keyId) => Change(file =>
    {
        if (Get(file, name).Keys.RemoveAll(key => key.Id == keyId) == 0)
        {
            throw Invalid($"user '{name}' has no key '{UntrustedText.Escape(keyId)}'");
        }
    });

    /// <summary>
    /// The server's own secret (32 random bytes, made on first use and kept in the file), from which unknown users'
    /// fake SCRAM salts are derived, so they look the same across restarts.
    /// </summary>
    public byte[] GetOrCreateServerSecret()
    {
        if (Read().ServerSecret is { Length: >= 16 } existing)
        {
            return existing;
        }

        byte[] secret = [];
        Change(file => secret = file.ServerSecret is { Length: >= 16 } raced ? raced : (file.ServerSecret = RandomNumberGenerator.GetBytes(32)));
        return secret;
    }

    private static void Update(UserRecord record, Func<Permissions, Permissions> change) =>
        record.Permissions = PermissionNames(change(ParsePermissions(record)));

    private static UserRecord Get(UserStoreFile file, string name) =>
        file.Users.Find(user => user.Name == name) ?? throw NoSuchUser(name);

    private static void ValidateName(string name)
    {
        if (name.Length > MaxNameLength || !ValidName().IsMatch(name))
        {
            throw Invalid(
                $"'{UntrustedText.Escape(name)}' is not a valid user name: use 1 to {MaxNameLength} letters, digits, '.', '_', '-' or '@'");
        }
    }

    private static SockitException Invalid(string message) => new(SockitErrorCode.InvalidArgument, message);

    /// <summary>The error for a user name that has no account; the name is escaped, as it may come from anyone.</summary>
    public static SockitException NoSuchUser(string name) => Invalid($"no user '{UntrustedText.Escape(name)}'");

    // \z, not $: '$' also matches before a final newline, which would let "alice\n" through.
    [GeneratedRegex(@"^[\p{L}\p{Nd}._@-]+\z")]
    private static partial Regex ValidName();

    private UserStoreFile Read()
    {
        if (!File.Exists(Path))
        {
            return new UserStoreFile();
        }

        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var file = JsonSerializer.Deserialize(stream, AccountsJsonContext.Default.UserStoreFile) ?? new UserStoreFile();
            if (file.Version != 1)
            {
                throw new SockitException(SockitErrorCode.InvalidArgument, $"{Path} is version {file.Version} of the users file; this Sockit reads version 1");
            }

            return file;
        }
        catch (JsonException ex)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"{Path} is not a valid users file: {ex.Message}", ex);
        }
    }

    private void Change(Action<UserStoreFile> change)
    {
        OwnerOnlyFile.EnsureDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock();
        var file = Read();
        change(file);
        OwnerOnlyFile.WriteAtomically(Path, stream => JsonSerializer.Serialize(stream, file, AccountsJsonContext.Default.UserStoreFile));
    }

    private FileStream AcquireLock()
    {
        var lockPath = Path + ".lock";
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock that other processes honour too.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException ex)
            {
                throw new SockitException(SockitErrorCode.Timeout, $"{lockPath} stayed locked for {LockWait.TotalSeconds:0} s; is another sockit changing users?", ex);
            }
        }
    }
}
