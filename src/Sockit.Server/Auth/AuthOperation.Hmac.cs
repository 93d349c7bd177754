using System.Security.Cryptography;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Sessions;

namespace Sockit.Server.Auth;

internal sealed partial class AuthOperation
{
    // Checked against when the user is unknown or has no keys, so every failure costs the same work.
    private static readonly byte[] DecoyKey = RandomNumberGenerator.GetBytes(HmacChallenge.Size);

    private async Task<AuthReply> HmacAsync(SockitSession session, LoginState login, AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.Response is null)
        {
            // The tutorials' server sends a fresh random message for every attempt: this is how to ask for one.
            return new AuthReply { Nonce = login.NewChallenge() };
        }

        var user = request.User;
        if (string.IsNullOrEmpty(user))
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, "an HMAC-SHA256 login needs 'user'");
        }

        CheckUserName(user);

        if (!TryDecodeHex(request.Response, out var response))
        {
            throw new SockitException(
                SockitErrorCode.InvalidArgument, "'response' must be the HMAC-SHA256 in hex (64 hex digits)");
        }

        ThrowIfLocked(session, user);
        if (!login.TryTakeNonce(out var nonce))
        {
            // An answer to a nonce that was already tried is a replay, or a client that did not ask for a new one.
            throw await FailAsync(session, AuthMechanisms.HmacSha256, user, cancellationToken).ConfigureAwait(false);
        }

        var account = _accounts.Find(user);
        bool matched = false;
        foreach (var key in account?.Keys ?? [])
        {
            matched |= HmacChallenge.Verify(key.Secret, nonce, response);
        }

        if (account is null || account.Keys.Count == 0)
        {
            _ = HmacChallenge.Verify(DecoyKey, nonce, response);
        }

        if (!matched)
        {
            throw await FailAsync(session, AuthMechanisms.HmacSha256, user, cancellationToken).ConfigureAwait(false);
        }

        return Succeed(session, AuthMechanisms.HmacSha256, account!);
    }

    private static bool TryDecodeHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != HmacChallenge.Size * 2)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
