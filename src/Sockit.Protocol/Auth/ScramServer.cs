using System.Security.Cryptography;
using System.Text;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Auth;

/// <summary>
/// The server side of one SCRAM-SHA-256 login (RFC 5802, RFC 7677) without channel binding: call
/// <see cref="HandleClientFirst"/>, send its answer, then call <see cref="HandleClientFinal"/> and send its answer.
/// Use a new instance for every attempt.
/// </summary>
/// <remarks>
/// <para>
/// A user the lookup does not know gets a normal-looking server-first message whose salt and iteration count come
/// from a <see cref="ScramDecoy"/> (derived from the user name and a server secret), so it is the same on every
/// attempt and a client cannot tell known users from unknown ones; the attempt then fails at the proof, with the
/// same error as a wrong password.
/// </para>
/// <para>
/// The client may send the gs2 header <c>n,,</c> (no channel binding) or <c>y,,</c> (the client could bind but
/// thinks the server cannot, which is true of this server); <c>c=</c> must then be the base64 of that header.
/// </para>
/// </remarks>
public sealed class ScramServer
{
    /// <summary>The random bytes in a server nonce made by this class.</summary>
    public const int NonceEntropyBytes = 18;

    private const string ClientFirst = "client-first";
    private const string ClientFinal = "client-final";

    private readonly Func<string, ScramCredentials?> _lookup;
    private readonly ScramDecoy _decoy;
    private readonly string _serverNonce;

    private ScramStep _step = ScramStep.Start;
    private string? _userName;
    private ScramCredentials? _credentials;
    private string _expectedChannelBinding = string.Empty;
    private string _nonce = string.Empty;
    private string _clientFirstBare = string.Empty;
    private string _serverFirst = string.Empty;

    /// <summary>Creates the server side of one login attempt, showing unknown users one iteration count.</summary>
    /// <param name="lookup">Finds a user's credentials by user name (already unescaped); <see langword="null"/> when there is no such user.</param>
    /// <param name="unknownUserSecret">
    /// A server-wide secret of at least 16 bytes, kept across restarts, from which the fake salt of unknown users is derived.
    /// </param>
    /// <param name="serverNonce">
    /// The server's part of the nonce, or <see langword="null"/> for 18 random bytes in base64. Pass one only to
    /// reproduce a known exchange (a test vector) or to use nonces made elsewhere: it must be fresh and unpredictable,
    /// printable ASCII without ','.
    /// </param>
    /// <param name="unknownUserIterations">
    /// The iteration count shown for unknown users. Right only when every real user has it too; otherwise pass a
    /// <see cref="ScramDecoy"/> made from the accounts' counts.
    /// </param>
    public ScramServer(
        Func<string, ScramCredentials?> lookup,
        byte[] unknownUserSecret,
        string? serverNonce = null,
        int unknownUserIterations = ScramCredentials.DefaultIterations)
        : this(lookup, Decoy(unknownUserSecret, unknownUserIterations), serverNonce)
    {
    }

    /// <summary>Creates the server side of one login attempt.</summary>
    /// <param name="lookup">Finds a user's credentials by user name (already unescaped); <see langword="null"/> when there is no such user.</param>
    /// <param name="decoy">What unknown users are shown instead of a real salt and iteration count.</param>
    /// <param name="serverNonce">As for the other constructor.</param>
    public ScramServer(Func<string, ScramCredentials?> lookup, ScramDecoy decoy, string? serverNonce = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(decoy);
        if (serverNonce is null)
        {
            serverNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceEntropyBytes));
        }
        else if (serverNonce.Length == 0 || serverNonce.Any(c => c is < '!' or > '~' or ','))
        {
            throw new ArgumentException("the server nonce must be printable ASCII without ','", nameof(serverNonce));
        }

        _lookup = lookup;
        _decoy = decoy;
        _serverNonce = serverNonce;
    }

    /// <summary>The user name the client-first message gave, once <see cref="HandleClientFirst"/> has read it.</summary>
    public string? UserName => _userName;

    /// <summary>The user who logged in, once <see cref="HandleClientFinal"/> has succeeded; otherwise <see langword="null"/>.</summary>
    public string? AuthenticatedUser { get; private set; }

    /// <summary>Reads the client-first message and returns the server-first message <c>r=...,s=...,i=...</c>.</summary>
    /// <exception cref="SockitException">Code <c>invalid_argument</c>: the message is malformed or asks for something not supported.</exception>
    /// <exception cref="InvalidOperationException">This instance has already handled a client-first message.</exception>
    public string HandleClientFirst(string clientFirst)
    {
        ArgumentNullException.ThrowIfNull(clientFirst);
        Require(ScramStep.Start);
        _step = ScramStep.Failed;

        var bareStart = ReadGs2Header(clientFirst);
        var bare = clientFirst[bareStart..];
        var attributes = ScramAttributes.Split(bare, ClientFirst);
        ScramAttributes.RejectMandatoryExtension(attributes, ClientFirst);
        var userName = SaslName.Unescape(ScramAttributes.Expect(attributes, 0, 'n', ClientFirst));
        var clientNonce = ScramAttributes.CheckNonce(ScramAttributes.Expect(attributes, 1, 'r', ClientFirst), "client nonce");

        // Any further attributes are extensions, which RFC 5802 lets a server ignore.
        _credentials = _lookup(userName);
        var salt = _credentials?.Salt ?? _decoy.Salt(userName);
        var iterations = _credentials?.Iterations ?? _decoy.Iterations(userName);

        _userName = userName;
        _expectedChannelBinding = Convert.ToBase64String(Encoding.ASCII.GetBytes(clientFirst[..bareStart]));
        _nonce = clientNonce + _serverNonce;
        _clientFirstBare = bare;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        _step = ScramStep.AwaitingClientFinal;
        return _serverFirst;
    }

    /// <summary>
    /// Reads the client-final message, checks the channel binding, the nonce and the client's proof, and returns the
    /// server-final message <c>v=...</c>, which proves to the client that this server knows its credentials.
    /// </summary>
    /// <exception cref="SockitException">
    /// Code <c>auth_failed</c>: the login failed (the message never says why); code <c>invalid_argument</c>: the message is malformed.
    /// </exception>
    /// <exception cref="InvalidOperationException"><see cref="HandleClientFirst"/> has not succeeded, or this method was already called.</exception>
    public string HandleClientFinal(string clientFinal)
    {
        ArgumentNullException.ThrowIfNull(clientFinal);
        Require(ScramStep.AwaitingClientFinal);
        _step = ScramStep.Failed;

        var attributes = ScramAttributes.Split(clientFinal, ClientFinal);
        var channelBinding = ScramAttributes.Expect(attributes, 0, 'c', ClientFinal);
        ScramAttributes.DecodeBase64(channelBinding, "channel binding (c=)");
        var nonce = ScramAttributes.CheckNonce(ScramAttributes.Expect(attributes, 1, 'r', ClientFinal), "nonce");
        var proofIndex = attributes.Count - 1;
        if (proofIndex < 2)
        {
            throw ScramAttributes.Malformed("the client-final message has no proof (p=)");
        }

        var proof = ScramAttributes.DecodeBase64(ScramAttributes.Expect(attributes, proofIndex, 'p', ClientFinal), "proof (p=)");
        if (proof.Length != ScramPrimitives.KeySize)
        {
            throw ScramAttributes.Malformed("the proof (p=) is not 32 bytes long");
        }

        var withoutProof = clientFinal[..clientFinal.LastIndexOf(",p=", StringComparison.Ordinal)];
        var authMessage = $"{_clientFirstBare},{_serverFirst},{withoutProof}";

        // For an unknown user the proof is checked against a random key, so the work done is the same.
        var storedKey = _credentials?.StoredKey ?? RandomNumberGenerator.GetBytes(ScramPrimitives.KeySize);
        var clientSignature = ScramPrimitives.Signature(storedKey, authMessage);
        var clientKey = ScramPrimitives.Xor(proof, clientSignature);
        var proofMatches = CryptographicOperations.FixedTimeEquals(ScramPrimitives.StoredKey(clientKey), storedKey);
        CryptographicOperations.ZeroMemory(clientKey);

        var accepted = proofMatches
            & _credentials is not null
            & string.Equals(channelBinding, _expectedChannelBinding, StringComparison.Ordinal)
            & string.Equals(nonce, _nonce, StringComparison.Ordinal);
        if (!accepted)
        {
            throw new SockitException(SockitErrorCode.AuthFailed, "authentication failed");
        }

        var serverSignature = ScramPrimitives.Signature(_credentials!.ServerKey, authMessage);
        AuthenticatedUser = _userName;
        _step = ScramStep.Succeeded;
        return "v=" + Convert.ToBase64String(serverSignature);
    }

    /// <summary>Checks the gs2 header and returns the index where the client-first-message-bare starts.</summary>
    private static int ReadGs2Header(string clientFirst)
    {
        if (clientFirst.StartsWith("p=", StringComparison.Ordinal))
        {
            throw ScramAttributes.Malformed("the client asks for channel binding (p=), which this server does not support");
        }

        if (!clientFirst.StartsWith("n,", StringComparison.Ordinal) && !clientFirst.StartsWith("y,", StringComparison.Ordinal))
        {
            throw ScramAttributes.Malformed("the client-first message does not start with the gs2 header 'n,,'");
        }

        if (clientFirst.Length < 3 || clientFirst[2] != ',')
        {
            throw ScramAttributes.Malformed(clientFirst.AsSpan(2).StartsWith("a=")
                ? "the client-first message names an authorization identity (a=), which is not supported"
                : "the client-first message's gs2 header is not 'n,,'");
        }

        return 3;
    }

    private static ScramDecoy Decoy(byte[] unknownUserSecret, int unknownUserIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unknownUserIterations, ScramPrimitives.MinIterations);
        return new ScramDecoy(unknownUserSecret, [unknownUserIterations]);
    }

    private void Require(ScramStep expected)
    {
        if (_step != expected)
        {
            throw new InvalidOperationException(_step == ScramStep.Failed
                ? "this SCRAM exchange has failed; start a new one"
                : "the SCRAM messages are out of order; use a new ScramServer for each login attempt");
        }
    }
}
