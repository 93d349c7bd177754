using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Framed;

namespace Sockit.IntegrationTests.Auth;

/// <summary>An operation that needs the <c>exec</c> permission, standing in for remote command execution.</summary>
internal sealed class ExecProbeOperation : IFramedOperation
{
    public const string OpName = "exec-probe";

    public string Name => OpName;

    public long MaxBodyLength => 0;

    public Permissions RequiredPermissions => Permissions.Exec;

    public ValueTask ExecuteAsync(FramedSession session, FrameHead head, CancellationToken cancellationToken)
    {
        session.WriteReply(new TimeReply { Id = head.Id, Time = "ran" }, SockitJsonContext.Default.TimeReply);
        return ValueTask.CompletedTask;
    }
}
