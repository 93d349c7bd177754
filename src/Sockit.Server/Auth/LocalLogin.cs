using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;
using Sockit.LocalFiles;

namespace Sockit.Server.Auth;

/// <summary>
/// Out-of-the-box login for the OS user running the server: makes sure an admin account exists and that a key for
/// it sits in a file only this OS user can read, where <c>sockit</c> finds it when it talks to a local endpoint.
/// Anyone who can read that file could also edit the accounts file, so it grants nothing new.
/// </summary>
internal sealed class LocalLogin(AuthOptions options, AccountDirectory accounts, string credentialsFile, ILogger<LocalLogin> logger)
{
    /// <summary>The key file written (or kept).</summary>
    public string CredentialsFile => credentialsFile;

    /// <summary>Creates the account and the key file if they are missing or no longer match; logs and carries on if it cannot.</summary>
    public void Ensure()
    {
        if (!options.LocalLogin)
        {
            return;
        }

        try
        {
            var store = accounts.Store;
            var user = options.LocalUser;
            var saved = ReadSaved();
            var account = store.Find(user);
            if (account is not null && saved is not null && saved.User == user
                && account.Keys.Any(key => CryptographicOperations.FixedTimeEquals(key.Secret, saved.Secret)))
            {
                return;
            }

            if (account is null)
            {
                store.Add(user, password: null, Permissions.Exec | Permissions.Files | Permissions.Chat | Permissions.Admin);
                AuthLog.LocalAccountCreated(logger, user, store.Path);
            }
            else if (saved?.KeyId is { } staleId && saved.User == user && account.Keys.Any(key => key.Id == staleId))
            {
                store.RevokeKey(user, staleId);
            }

            var issued = store.IssueKey(user);
            KeyCredentialFile.Write(credentialsFile, new KeyCredential(user, issued.Id, issued.Secret));
            AuthLog.LocalKeyWritten(logger, user, credentialsFile);
        }
        catch (Exception ex) when (ex is SockitException or IOException or UnauthorizedAccessException)
        {
            AuthLog.LocalLoginUnavailable(logger, ex.Message);
        }
    }

    private KeyCredential? ReadSaved()
    {
        if (!File.Exists(credentialsFile))
        {
            return null;
        }

        try
        {
            return KeyCredentialFile.Read(credentialsFile);
        }
        catch (SockitException)
        {
            // Damaged or exposed: replaced below with a fresh key (the old key is left for 'sockit user key' to revoke).
            return null;
        }
    }
}
