using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Framed;

namespace Sockit.Server.Auth;

/// <summary>The <c>whoami</c> operation: who the connection is logged in as, and what it may do without a login.</summary>
internal sealed class WhoAmIOperation(AccessPolicy policy) : IFramedOperation
{
    public string Name => Ops.WhoAmI;

    public long MaxBodyLength => 0;

    public ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken)
    {
        var user = session.User;
        session.WriteReply(
            new WhoAmIReply
            {
                Id = head.Id,
                User = user?.Name,
                Permissions = user is null ? [] : UserStore.PermissionNames(user.Permissions),
                AnonymousOps = policy.AnonymousOps,
            },
            SockitJsonContext.Default.WhoAmIReply);
        return ValueTask.CompletedTask;
    }
}
