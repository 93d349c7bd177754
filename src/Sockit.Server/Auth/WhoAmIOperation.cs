using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Sessions;

namespace Sockit.Server.Auth;

/// <summary>The <c>whoami</c> operation: who the connection is logged in as, and what it may do without a login.</summary>
internal sealed class WhoAmIOperation(AccessPolicy policy) : ISockitOperation
{
    public string Name => Ops.WhoAmI;

    public long MaxBodyLength => 0;

    public ValueTask ExecuteAsync(SockitRequest request)
    {
        var user = request.Session.User;
        return request.ReplyAsync(
            new WhoAmIReply
            {
                Id = request.Id,
                User = user?.Name,
                Permissions = user is null ? [] : UserStore.PermissionNames(user.Permissions),
                AnonymousOps = policy.AnonymousOps,
            },
            SockitJsonContext.Default.WhoAmIReply);
    }
}
