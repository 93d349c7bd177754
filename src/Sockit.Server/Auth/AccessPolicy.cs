using System.Collections.Frozen;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Framed;

namespace Sockit.Server.Auth;

/// <summary>Decides whether a connection may run an operation: anonymously, or as a user with the right permissions.</summary>
internal sealed class AccessPolicy
{
    private readonly FrozenSet<string> _anonymous;

    /// <summary>Applies <paramref name="options"/>' list of anonymous operations (<c>auth</c> and <c>whoami</c> always).</summary>
    public AccessPolicy(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AnonymousOps = [.. (options.AnonymousOps ?? [.. AuthOptions.DefaultAnonymousOps]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _anonymous = AnonymousOps.Concat([Ops.Auth, Ops.WhoAmI]).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The operations anonymous connections may run besides <c>auth</c> and <c>whoami</c>, sorted.</summary>
    public IReadOnlyList<string> AnonymousOps { get; }

    /// <summary>Whether a connection that has not logged in may run <paramref name="op"/>.</summary>
    public bool IsAnonymous(string op) => _anonymous.Contains(op);

    /// <summary>Throws <c>unauthenticated</c> or <c>forbidden</c> when <paramref name="session"/> may not run <paramref name="operation"/>.</summary>
    /// <exception cref="SockitException">The request is refused; the connection stays usable.</exception>
    public void Check(FramedSession session, IFramedOperation operation)
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
}
