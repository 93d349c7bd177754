using System.Collections.Frozen;
using System.Diagnostics;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Auth;

/// <summary>
/// Who may do what on a connection, and for how long it may stay anonymous: the operations open to anonymous
/// connections, the permissions of the others, and the login deadline. The connection's loop asks it before every
/// request and before every wait for the next frame.
/// </summary>
internal sealed class AccessPolicy
{
    private readonly FrozenSet<string> _anonymous;
    private readonly TimeSpan _loginTimeout;

    public AccessPolicy(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AnonymousOps = [.. (options.AnonymousOps ?? [.. AuthOptions.DefaultAnonymousOps]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _anonymous = AnonymousOps.Concat([Ops.Auth, Ops.WhoAmI, Ops.Subscribe, Ops.Unsubscribe]).ToFrozenSet(StringComparer.Ordinal);
        _loginTimeout = options.LoginTimeout;
    }

    /// <summary>The operations anonymous connections may use besides auth's own, sorted, as the hello lists them.</summary>
    public IReadOnlyList<string> AnonymousOps { get; }

    /// <summary>How long a connection may stay anonymous without using an anonymous operation.</summary>
    public TimeSpan LoginTimeout => _loginTimeout;

    /// <summary>Sets a new connection's login state and starts its login deadline.</summary>
    public LoginState OnConnected(SockitSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var state = new LoginState(DeadlineFromNow());
        session.Features.Set(state);
        return state;
    }

    /// <summary>Throws <c>unauthenticated</c> or <c>forbidden</c> when the connection may not run <paramref name="operation"/>.</summary>
    public void Check(SockitSession session, ISockitOperation operation)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(operation);
        var user = session.User;
        if (user is null)
        {
            if (!_anonymous.Contains(operation.Name))
            {
                throw new SockitException(
                    SockitErrorCode.Unauthenticated,
                    $"'{operation.Name}' needs a login (op 'auth'); without one this server allows: {string.Join(", ", AnonymousOps)}");
            }

            return;
        }

        var missing = operation.RequiredPermissions & ~user.Permissions;
        if (missing != Accounts.Permissions.None)
        {
            throw new SockitException(
                SockitErrorCode.Forbidden,
                $"'{operation.Name}' needs the {string.Join(", ", Accounts.UserStore.PermissionNames(missing))} permission, which '{user.Name}' does not have");
        }
    }

    /// <summary>
    /// Notes a request admitted. An anonymous connection that uses an anonymous operation came for it, not to log in, so
    /// it need not log in at all: from then on the idle timeout guards its slot, as for any connection in use.
    /// </summary>
    public static void OnAdmitted(SockitSession session, LoginState login, string op)
    {
        if (session.User is null && op is not (Ops.Auth or Ops.WhoAmI) && login.Deadline != long.MaxValue)
        {
            login.Deadline = long.MaxValue;
        }
    }

    /// <summary>
    /// How long the loop may wait for the next frame: the idle timeout, cut to the login deadline while that runs;
    /// <see langword="null"/> when the deadline has passed.
    /// </summary>
    public static TimeSpan? NextWait(SockitSession session, LoginState login, TimeSpan idleTimeout)
    {
        if (session.User is not null || login.Deadline == long.MaxValue)
        {
            return idleTimeout;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), login.Deadline);
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        return idleTimeout == Timeout.InfiniteTimeSpan || remaining < idleTimeout ? remaining : idleTimeout;
    }

    /// <summary>Whether an anonymous connection's login deadline has passed.</summary>
    public static bool IsPastLoginDeadline(SockitSession session, LoginState login) =>
        session.User is null && Stopwatch.GetTimestamp() >= login.Deadline;

    private long DeadlineFromNow() => _loginTimeout == Timeout.InfiniteTimeSpan
        ? long.MaxValue
        : Stopwatch.GetTimestamp() + (long)(_loginTimeout.TotalSeconds * Stopwatch.Frequency);
}
