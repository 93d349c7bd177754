using System.Buffers.Text;
using Sockit.Client.Auth;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    // The hello's nonce answers one HMAC attempt; later attempts ask the server for a fresh challenge.
    private bool _challengeUsed;

    /// <summary>Who this connection is logged in as; <see langword="null"/> while anonymous.</summary>
    public SockitUser? User { get; private set; }

    /// <summary>
    /// The keys derived at the last successful password login, to save and log in later without the password
    /// (<see cref="SockitCredentials.FromSavedKeys"/>); <see langword="null"/> otherwise. Secret.
    /// </summary>
    public ScramClientKeys? DerivedKeys { get; private set; }

    /// <summary>Logs this connection in.</summary>
    /// <exception cref="SockitRemoteException">
    /// <see cref="SockitErrorCode.AuthFailed"/> (wrong name or credentials; the server does not say which) or
    /// <see cref="SockitErrorCode.AuthLocked"/> (too many failures); the connection stays usable anonymously.
    /// </exception>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.AuthFailed"/> when the server could not prove it knows the password (wrong server?);
    /// the connection is then closed.
    /// </exception>
    public async Task<SockitUser> LoginAsync(SockitCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var reply = credentials.Key is { } key
            ? await LoginWithKeyAsync(credentials.User, key, cancellationToken).ConfigureAwait(false)
            : await LoginWithScramAsync(credentials, cancellationToken).ConfigureAwait(false);
        User = new SockitUser(reply.User ?? credentials.User, reply.Permissions ?? []);
        return User;
    }

    /// <summary>Asks the server who this connection is logged in as (<see langword="null"/> user when anonymous).</summary>
    public Task<WhoAmIReply> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        RequestAsync(
            id => new WhoAmIRequest { Id = id },
            SockitJsonContext.Default.WhoAmIRequest,
            SockitJsonContext.Default.WhoAmIReply,
            cancellationToken);

    private async Task<AuthReply> LoginWithKeyAsync(string user, byte[] key, CancellationToken cancellationToken)
    {
        var nonce = _challengeUsed || string.IsNullOrEmpty(Hello.Nonce)
            ? (await AuthAsync(new AuthRequest { Mechanism = AuthMechanisms.HmacSha256 }, cancellationToken).ConfigureAwait(false)).Nonce
            : Hello.Nonce;
        _challengeUsed = true;
        if (nonce is null || !Base64.IsValid(nonce))
        {
            throw ProtocolBroken(nonce is null ? "the server sent no HMAC challenge" : "the server's HMAC challenge is not base64");
        }

        var nonceBytes = Convert.FromBase64String(nonce);
        var response = Convert.ToHexStringLower(HmacChallenge.ComputeResponse(key, nonceBytes));
        return await AuthAsync(
            new AuthRequest { Mechanism = AuthMechanisms.HmacSha256, User = user, Response = response }, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<AuthReply> LoginWithScramAsync(SockitCredentials credentials, CancellationToken cancellationToken)
    {
        var scram = credentials.SavedKeys is { } saved
            ? new ScramClient(credentials.User, saved)
            : new ScramClient(credentials.User, credentials.Password!);
        var first = await AuthAsync(
            new AuthRequest { Mechanism = AuthMechanisms.ScramSha256, Sasl = scram.CreateClientFirst() }, cancellationToken)
            .ConfigureAwait(false);
        string clientFinal;
        try
        {
            clientFinal = scram.HandleServerFirst(first.Sasl ?? throw ProtocolBroken("the server's SCRAM reply has no 'sasl'"));
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.InvalidArgument)
        {
            throw MalformedScram(ex);
        }

        var final = await AuthAsync(
            new AuthRequest { Mechanism = AuthMechanisms.ScramSha256, Sasl = clientFinal }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            scram.VerifyServerFinal(final.Sasl ?? throw ProtocolBroken("the server's last SCRAM reply has no 'sasl'"));
        }
        catch (SockitException ex) when (ex.Code == SockitErrorCode.InvalidArgument)
        {
            var broken = MalformedScram(ex);
            Fault(broken);
            throw broken;
        }
        catch (SockitException ex)
        {
            // Logged in on a server that cannot prove it knows the password: whoever it is, it is not to be trusted.
            Fault(ex);
            throw;
        }

        DerivedKeys = scram.Keys;
        return final;
    }

    private Task<AuthReply> AuthAsync(AuthRequest request, CancellationToken cancellationToken) =>
        RequestAsync(
            id =>
            {
                request.Id = id;
                return request;
            },
            SockitJsonContext.Default.AuthRequest,
            SockitJsonContext.Default.AuthReply,
            cancellationToken);

    // The SCRAM parser's code for a client's bad message; from a server it is a broken protocol, not a usage error.
    private SockitProtocolException MalformedScram(SockitException parse) =>
        ProtocolBroken($"the server's SCRAM message is malformed: {parse.Message}");

    private SockitProtocolException ProtocolBroken(string message) =>
        new(SockitErrorCode.ProtocolError, $"{Peer}: {message}");
}
