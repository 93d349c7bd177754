using Sockit.Protocol.Auth;
using Sockit.Server.Accounts;

namespace Sockit.Server.Auth;

/// <summary>
/// The accounts as one reading of the accounts file found them, with what logins derive from them. Immutable, so
/// logins in progress keep a consistent view while a newer reading replaces it.
/// </summary>
internal sealed class AccountSnapshot
{
    private readonly Dictionary<string, UserAccount> _byName;

    public AccountSnapshot(IReadOnlyList<UserAccount> accounts, DateTime lastWriteUtc, long length, byte[] serverSecret)
    {
        Accounts = accounts;
        LastWriteUtc = lastWriteUtc;
        Length = length;
        _byName = accounts.ToDictionary(account => account.Name, StringComparer.Ordinal);
        Decoy = new ScramDecoy(serverSecret, accounts.Select(account => account.Password).OfType<ScramCredentials>().Select(password => password.Iterations));
    }

    public IReadOnlyList<UserAccount> Accounts { get; }

    /// <summary>The file's last write time when it was read; with <see cref="Length"/>, how a change is noticed.</summary>
    public DateTime LastWriteUtc { get; }

    /// <summary>The file's length when it was read (-1: there was no file).</summary>
    public long Length { get; }

    /// <summary>What unknown users are shown in SCRAM, drawn from these accounts' iteration counts.</summary>
    public ScramDecoy Decoy { get; }

    public UserAccount? Find(string name) => _byName.GetValueOrDefault(name);

    public bool IsCurrentFor(DateTime lastWriteUtc, long length) => lastWriteUtc == LastWriteUtc && length == Length;
}
