using Microsoft.Extensions.Logging;
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
    public UserAccount? Find(string name)
    {
        try
        {
            return Store.Find(name);
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
