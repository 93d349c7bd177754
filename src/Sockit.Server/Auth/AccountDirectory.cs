using Microsoft.Extensions.Logging;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;

namespace Sockit.Server.Auth;

/// <summary>
/// The accounts as logins see them. Each login reads the accounts file afresh, so <c>sockit user</c> changes apply
/// to the next login without a restart.
/// </summary>
public sealed class AccountDirectory
{
    private readonly ILogger<AccountDirectory> _logger;
    private readonly Lazy<byte[]> _serverSecret;

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
    public UserAccount? Find(string name) => Read(store => store.Find(name));

    /// <summary>
    /// The server side of one SCRAM login over one reading of the accounts file: it looks users up there, and shows
    /// unknown users a decoy whose iteration count is drawn from those of the accounts with a password, so an unusual
    /// count does not mark an account as real.
    /// </summary>
    /// <exception cref="SockitException">Code <c>internal_error</c>: the accounts file cannot be read (logged in full).</exception>
    public ScramServer NewScramServer()
    {
        var accounts = Read(store => store.List());
        var decoy = new ScramDecoy(
            ServerSecret, accounts.Select(account => account.Password).OfType<ScramCredentials>().Select(password => password.Iterations));
        return new ScramServer(name => accounts.FirstOrDefault(account => account.Name == name)?.Password, decoy);
    }

    private T Read<T>(Func<UserStore, T> read)
    {
        try
        {
            return read(Store);
        }
        catch (SockitException ex)
        {
            AuthLog.AccountsUnreadable(_logger, ex.Message);
            throw new SockitException(SockitErrorCode.InternalError, "the server cannot read its accounts; see its log", ex);
        }
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
