using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Sessions;

namespace Sockit.IntegrationTests.Auth;

/// <summary>An operation that needs the <c>exec</c> permission, standing in for remote command execution.</summary>
internal sealed class ExecProbeOperation : ISockitOperation
{
    public const string OpName = "exec-probe";

    public string Name => OpName;

    public long MaxBodyLength => 0;

    public Permissions RequiredPermissions => Permissions.Exec;

    public ValueTask ExecuteAsync(SockitRequest request) =>
        request.ReplyAsync(new TimeReply { Id = request.Id, Time = "ran" }, SockitJsonContext.Default.TimeReply);
}
