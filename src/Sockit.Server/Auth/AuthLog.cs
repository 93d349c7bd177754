using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting.Connections;
using Sockit.Protocol.Text;

namespace Sockit.Server.Auth;

/// <summary>
/// Log events of logins and access checks (event ids 1100-1199). Secrets and proofs are never logged. User names
/// come from clients, so they are escaped here (<see cref="UntrustedText"/>) even though logins refuse control characters.
/// </summary>
internal static partial class AuthLog
{
    public static void LoggedIn(ILogger logger, string user, string mechanism, string remote) =>
        LogLoggedIn(logger, UntrustedText.Escape(user), mechanism, remote);

    public static void LoginFailed(ILogger logger, string mechanism, string user, string remote, long delayMs) =>
        LogLoginFailed(logger, mechanism, UntrustedText.Escape(user), remote, delayMs);

    /// <summary>
    /// Logs a refused login, a few a second at most: a locked-out client is answered at once, so it could otherwise
    /// flood the log. The next line logged counts those left out.
    /// </summary>
    public static void LockedOut(ILogger logger, LogBudget budget, string user, string remote, long seconds)
    {
        if (budget.TryTake(out int unlogged))
        {
            LogLockedOut(logger, UntrustedText.Escape(user), remote, seconds, unlogged);
        }
    }

    [LoggerMessage(1103, LogLevel.Error, "Cannot read the accounts file: {Reason}")]
    public static partial void AccountsUnreadable(ILogger logger, string reason);

    [LoggerMessage(1104, LogLevel.Warning, "Cannot keep the server secret in the accounts file ({Reason}); unknown users' SCRAM salts will change at each restart")]
    public static partial void ServerSecretUnavailable(ILogger logger, string reason);

    [LoggerMessage(1106, LogLevel.Information, "Local login: created account {User} in {UsersFile}")]
    public static partial void LocalAccountCreated(ILogger logger, string user, string usersFile);

    [LoggerMessage(1107, LogLevel.Information, "Local login: wrote a key for {User} to {CredentialsFile} (readable only by this OS user)")]
    public static partial void LocalKeyWritten(ILogger logger, string user, string credentialsFile);

    [LoggerMessage(1108, LogLevel.Warning, "Local login is off: {Reason}")]
    public static partial void LocalLoginUnavailable(ILogger logger, string reason);

    [LoggerMessage(1109, LogLevel.Information, "Closing a connection that did not log in within {Seconds} s")]
    public static partial void LoginDeadlinePassed(ILogger logger, double seconds);

    [LoggerMessage(1100, LogLevel.Information, "{User} logged in with {Mechanism} from {Remote}")]
    private static partial void LogLoggedIn(ILogger logger, string user, string mechanism, string remote);

    [LoggerMessage(1101, LogLevel.Warning, "Failed {Mechanism} login as {User} from {Remote}; answering after {DelayMs} ms")]
    private static partial void LogLoginFailed(ILogger logger, string mechanism, string user, string remote, long delayMs);

    [LoggerMessage(1102, LogLevel.Warning, "Refused a login as {User} from {Remote}: locked out for {Seconds} s more after repeated failures ({Unlogged} more refusals not logged before this one)")]
    private static partial void LogLockedOut(ILogger logger, string user, string remote, long seconds, int unlogged);
}
