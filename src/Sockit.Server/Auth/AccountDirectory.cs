using Microsoft.Extensions.Logging;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;

namespace Sockit.Server.Auth;

/// <summary>
/// The accounts as logins see them. The accounts file is read again only when it has changed (its write time or
/// length differ), so <c>sockit user</c> changes apply to the next login without a restart, and a login costs one
/// <c>stat</c> of the file rather than a read and a parse.
/// </summary>
internal sealed class AccountDirectory
{
    private readonly ILogger<AccountDirectory> _logger;
    private readonly Lazy<byte[]> _serverSecret;
    private readonly Lock _loading = new();
    private AccountSnapshot? _snapshot;
    private int _loads;

    /// <summary>Reads accounts from <paramref name="store"/>.</summary>
    public AccountDirectory(UserStore store, ILogger<AccountDirectory> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _logger = logger;
        _serverSecret = new Lazy<byte[]>(LoadServerSecret);
    }

    /// <summary>The accounts file.</summary>
    public UserStore Store { get; }

    /// <summary>The secret unknown users' fake SCRAM salts derive from.</summary>
    public byte[] ServerSecret => _serverSecret.Value;

    /// <summary>The account called <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <exception cref="SockitException">Code <c>internal_error</c>: the accounts file cannot be read (logged in full).</exception>
    public UserAccount? Find(string name) => Current().Find(name);

    /// <summary>How many times the accounts file has been read and parsed (for tests and diagnostics).</summary>
    internal int Loads => Volatile.Read(ref _loads);

    /// <summary>
    /// The server side of one SCRAM login over one reading of the accounts file: it looks users up there, and shows
    /// unknown users a decoy whose iteration count is drawn from those of the accounts with a password, so an unusual
    /// count does not mark an account as real.
    /// </summary>
    /// <exception cref="SockitException">Code <c>internal_error</c>: the accounts file cannot be read (logged in full).</exception>
    public ScramServer NewScramServer()
    {
        var snapshot = Current();
        return new ScramServer(name => snapshot.Find(name)?.Password, snapshot.Decoy);
    }

    private AccountSnapshot Current()
    {
        var (lastWrite, length) = Stamp();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.IsCurrentFor(lastWrite, length))
        {
            return snapshot;
        }

        lock (_loading)
        {
            snapshot = _snapshot;
            if (snapshot is not null && snapshot.IsCurrentFor(lastWrite, length))
            {
                return snapshot;
            }

            try
            {
                snapshot = new AccountSnapshot(Store.List(), lastWrite, length, ServerSecret);
            }
            catch (SockitException ex)
            {
                AuthLog.AccountsUnreadable(_logger, ex.Message);
                throw new SockitException(SockitErrorCode.InternalError, "the server cannot read its accounts; see its log", ex);
            }

            Interlocked.Increment(ref _loads);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    /// <summary>
    /// The file's write time and length, taken before reading it: a change made during the read then shows as a
    /// difference at the next login, never as a stale reading that looks current.
    /// </summary>
    private (DateTime LastWriteUtc, long Length) Stamp()
    {
        var file = new FileInfo(Store.Path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }

    private byte[] LoadServerSecret()
    {
        try
        {
            return Store.GetOrCreateServerSecret();
        }
        catch (Exception ex) when (ex is SockitException or IOException or UnauthorizedAccessException)
        {
            // Logins still work; only unknown users' fake salts change with each restart.
            AuthLog.ServerSecretUnavailable(_logger, ex.Message);
            return System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        }
    }
}
