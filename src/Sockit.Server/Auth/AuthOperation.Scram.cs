using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Auth;

internal sealed partial class AuthOperation
{
    private async Task<AuthReply> ScramAsync(SockitSession session, LoginState login, AuthRequest request, CancellationToken cancellationToken)
    {
        var message = request.Sasl
            ?? throw new SockitException(SockitErrorCode.InvalidArgument, "a SCRAM-SHA-256 step needs its message in 'sasl'");

        // A client-first message starts with its gs2 header; anything else continues the login in progress.
        bool isFirst = message.StartsWith("n,", StringComparison.Ordinal) || message.StartsWith("y,", StringComparison.Ordinal)
            || message.StartsWith("p=", StringComparison.Ordinal);
        if (isFirst)
        {
            login.PendingScram = null;
            var server = _accounts.NewScramServer();
            var serverFirst = server.HandleClientFirst(message);
            CheckUserName(server.UserName!);
            ThrowIfLocked(session, server.UserName!);
            login.PendingScram = server;
            return new AuthReply { Sasl = serverFirst };
        }

        var pending = login.PendingScram
            ?? throw new SockitException(
                SockitErrorCode.InvalidArgument, "no SCRAM-SHA-256 login is in progress: send the client-first message first");
        login.PendingScram = null;
        string name = pending.UserName!;

        // Checked again before the proof: logins started in parallel while nothing was locked would otherwise each
        // get a guess checked after the lockout began.
        ThrowIfLocked(session, name);
        string serverFinal;
        try
        {
            serverFinal = pending.HandleClientFinal(message);
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.AuthFailed)
        {
            throw await FailAsync(session, AuthMechanisms.ScramSha256, name, cancellationToken).ConfigureAwait(false);
        }

        // The account may have gone between the two steps; then the login fails like any other.
        var account = _accounts.Find(name)
            ?? throw await FailAsync(session, AuthMechanisms.ScramSha256, name, cancellationToken).ConfigureAwait(false);
        var reply = Succeed(session, AuthMechanisms.ScramSha256, account);
        reply.Sasl = serverFinal;
        return reply;
    }
}
