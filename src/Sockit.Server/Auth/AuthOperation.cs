using System.Globalization;
using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting.Connections;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;
using Sockit.Server.Accounts;
using Sockit.Server.Sessions;

namespace Sockit.Server.Auth;

/// <summary>
/// The <c>auth</c> operation: logs a connection in with SCRAM-SHA-256 (two requests) or the HMAC challenge (one
/// request per nonce). A failure says only <c>auth_failed</c>, whether the user exists or not, after the throttle's
/// delay; an address locked out (for the name, or for every name) gets <c>auth_locked</c> before any check.
/// </summary>
internal sealed partial class AuthOperation : ISockitOperation
{
    private const string FailedMessage = "wrong user name or credentials";

    private readonly AccountDirectory _accounts;
    private readonly LoginThrottle _throttle;
    private readonly TimeProvider _time;
    private readonly ILogger<AuthOperation> _logger;
    private readonly LogBudget _lockedOutLog;

    public AuthOperation(AccountDirectory accounts, LoginThrottle throttle, TimeProvider time, ILogger<AuthOperation> logger)
    {
        _accounts = accounts;
        _throttle = throttle;
        _time = time;
        _lockedOutLog = new LogBudget(5, time);
        _logger = logger;
    }

    /// <summary>The mechanisms, as the hello lists them.</summary>
    public static IReadOnlyList<string> Mechanisms { get; } = [AuthMechanisms.ScramSha256, AuthMechanisms.HmacSha256];

    public string Name => Ops.Auth;

    public long MaxBodyLength => 0;

    /// <summary>A login changes what the connection's next requests may do, so they wait for it.</summary>
    public bool RunsAlone => true;

    public async ValueTask ExecuteAsync(SockitRequest context)
    {
        var session = context.Session;
        var cancellationToken = context.Aborted;
        var login = session.Features.Get<LoginState>()
            ?? throw new InvalidOperationException("the connection has no login state");
        var request = context.Head.Deserialize(SockitJsonContext.Default.AuthRequest);
        if (session.User is { } current)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument,
                $"already logged in as '{current.Name}'; open a new connection to log in as someone else");
        }

        var reply = request.Mechanism switch
        {
            AuthMechanisms.ScramSha256 => await ScramAsync(session, login, request, cancellationToken).ConfigureAwait(false),
            AuthMechanisms.HmacSha256 => await HmacAsync(session, login, request, cancellationToken).ConfigureAwait(false),
            null => throw new SockitException(
                SockitErrorCode.InvalidArgument, $"auth needs a mechanism: {string.Join(" or ", Mechanisms)}"),
            var other => throw new SockitException(
                SockitErrorCode.InvalidArgument,
                $"unknown mechanism '{UntrustedText.Escape(other)}'; this server offers {string.Join(", ", Mechanisms)}"),
        };
        reply.Id = request.Id;
        await context.ReplyAsync(reply, SockitJsonContext.Default.AuthReply).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a name no account can have before it is looked up, counted or logged: one with a control character
    /// (it could rewrite a terminal that shows the log), or one too long for an account (it would cost the throttle
    /// memory). Only the form of the name is judged, so this says nothing about which accounts exist.
    /// </summary>
    private static void CheckUserName(string user)
    {
        if (UntrustedText.ContainsUnsafe(user))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "the user name contains a control character");
        }

        if (user.Length > UserStore.MaxNameLength)
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"the user name is longer than {UserStore.MaxNameLength} characters"));
        }
    }

    /// <summary>Refuses at once when this address is locked out, for this name or for every name.</summary>
    private void ThrowIfLocked(SockitSession session, string user)
    {
        var locked = _throttle.LockedFor(session.ClientHost, user);
        if (locked > TimeSpan.Zero)
        {
            long seconds = (long)Math.Ceiling(locked.TotalSeconds);
            AuthLog.LockedOut(_logger, _lockedOutLog, user, session.RemoteAddress, seconds);
            throw new SockitException(
                SockitErrorCode.AuthLocked,
                string.Create(CultureInfo.InvariantCulture, $"too many failed logins from this address; try again in {seconds} s"));
        }
    }

    /// <summary>Counts a failure, waits the throttle's delay, and throws the one failure everyone gets.</summary>
    private async Task<SockitException> FailAsync(
        SockitSession session, string mechanism, string user, CancellationToken cancellationToken)
    {
        var delay = _throttle.RecordFailure(session.ClientHost, user);
        AuthLog.LoginFailed(_logger, mechanism, user, session.RemoteAddress, (long)delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        return new SockitException(SockitErrorCode.AuthFailed, FailedMessage);
    }

    private AuthReply Succeed(SockitSession session, string mechanism, UserAccount account)
    {
        _throttle.RecordSuccess(session.ClientHost, account.Name);
        session.User = new AuthenticatedUser(account.Name, account.Permissions, account.QuotaBytes);
        AuthLog.LoggedIn(_logger, account.Name, mechanism, session.RemoteAddress);
        return new AuthReply { Done = true, User = account.Name, Permissions = UserStore.PermissionNames(account.Permissions) };
    }
}
