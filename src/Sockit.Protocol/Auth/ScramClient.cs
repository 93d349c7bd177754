using System.Security.Cryptography;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Auth;

/// <summary>
/// The client side of one SCRAM-SHA-256 login (RFC 5802, RFC 7677) without channel binding (gs2 header <c>n,,</c>):
/// send <see cref="CreateClientFirst"/>, pass the server's answer to <see cref="HandleServerFirst"/> and send what it
/// returns, then pass the server's last message to <see cref="VerifyServerFinal"/>, which proves the server knew the
/// credentials. Use a new instance for every attempt.
/// </summary>
/// <remarks>
/// The password goes through <see cref="SaslPrep"/>; the user name does not (RFC 5802 only says SHOULD): it is sent
/// as given, escaped, so the server's lookup sees exactly the name the caller passed. The iteration count the server
/// asks for has no upper bound here; a caller that talks to untrusted servers may want to cap it.
/// </remarks>
public sealed class ScramClient
{
    /// <summary>The random bytes in a client nonce made by this class.</summary>
    public const int NonceEntropyBytes = 18;

    private const string Gs2Header = "n,,";
    private const string ServerFirst = "server-first";
    private const string ServerFinal = "server-final";

    private readonly string _escapedUser;
    private readonly string _clientNonce;
    private string? _password;
    private ScramClientKeys? _storedKeys;
    private string _clientFirstBare = string.Empty;
    private byte[] _expectedServerSignature = [];
    private ScramStep _step = ScramStep.Start;

    /// <summary>Creates the client side of one login attempt.</summary>
    /// <param name="user">The user name, sent escaped as RFC 5802 asks (<c>,</c> as <c>=2C</c>, <c>=</c> as <c>=3D</c>).</param>
    /// <param name="password">The password; it is prepared with <see cref="SaslPrep"/>.</param>
    /// <param name="clientNonce">
    /// The client nonce, or <see langword="null"/> for 18 random bytes in base64. Pass one only to reproduce a known
    /// exchange: it must be fresh and unpredictable, printable ASCII without ','.
    /// </param>
    /// <exception cref="ArgumentException">The user name is empty, or the password is empty or refused by SASLprep, or the nonce is not printable.</exception>
    public ScramClient(string user, string password, string? clientNonce = null)
        : this(user, clientNonce)
    {
        ArgumentNullException.ThrowIfNull(password);
        _password = ScramCredentials.PreparePassword(password, nameof(password));
    }

    /// <summary>Creates the client side of a login with keys saved from an earlier password login (<see cref="Keys"/>).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="keys">The saved keys; the login fails if the account's salt or iteration count has changed since.</param>
    /// <param name="clientNonce">As for the password constructor.</param>
    public ScramClient(string user, ScramClientKeys keys, string? clientNonce = null)
        : this(user, clientNonce)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _storedKeys = keys;
    }

    private ScramClient(string user, string? clientNonce)
    {
        ArgumentNullException.ThrowIfNull(user);
        _escapedUser = SaslName.Escape(user);
        if (clientNonce is null)
        {
            clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(NonceEntropyBytes));
        }
        else if (clientNonce.Length == 0 || clientNonce.Any(c => c is < '!' or > '~' or ','))
        {
            throw new ArgumentException("the client nonce must be printable ASCII without ','", nameof(clientNonce));
        }

        _clientNonce = clientNonce;
    }

    /// <summary>
    /// The keys derived for this account, set once the server-first message has been handled. Save them only after
    /// <see cref="VerifyServerFinal"/> has succeeded, to log in later without the password.
    /// </summary>
    public ScramClientKeys? Keys { get; private set; }

    /// <summary>Makes the client-first message, <c>n,,n=user,r=nonce</c>.</summary>
    /// <exception cref="InvalidOperationException">It was already made.</exception>
    public string CreateClientFirst()
    {
        Require(ScramStep.Start);
        _clientFirstBare = $"n={_escapedUser},r={_clientNonce}";
        _step = ScramStep.AwaitingServerFirst;
        return Gs2Header + _clientFirstBare;
    }

    /// <summary>Reads the server-first message and returns the client-final message with the client's proof.</summary>
    /// <exception cref="SockitException">
    /// Code <c>invalid_argument</c>: the message is malformed; code <c>auth_failed</c>: the server's nonce does not
    /// extend ours, or it asks for fewer than 4096 iterations, which this client refuses.
    /// </exception>
    /// <exception cref="InvalidOperationException">Not called right after <see cref="CreateClientFirst"/>.</exception>
    public string HandleServerFirst(string serverFirst)
    {
        ArgumentNullException.ThrowIfNull(serverFirst);
        Require(ScramStep.AwaitingServerFirst);
        _step = ScramStep.Failed;

        var attributes = ScramAttributes.Split(serverFirst, ServerFirst);
        ScramAttributes.RejectMandatoryExtension(attributes, ServerFirst);
        var nonce = ScramAttributes.CheckNonce(ScramAttributes.Expect(attributes, 0, 'r', ServerFirst), "nonce");
        var salt = ScramAttributes.DecodeBase64(ScramAttributes.Expect(attributes, 1, 's', ServerFirst), "salt (s=)");
        var iterations = ScramAttributes.ParseIterations(ScramAttributes.Expect(attributes, 2, 'i', ServerFirst));

        if (nonce.Length <= _clientNonce.Length || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new SockitException(SockitErrorCode.AuthFailed, "the server's nonce does not extend the client's nonce");
        }

        if (iterations < ScramPrimitives.MinIterations)
        {
            throw new SockitException(
                SockitErrorCode.AuthFailed,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the server asks for {iterations} iterations; fewer than {ScramPrimitives.MinIterations} are refused (RFC 7677)"));
        }

        if (iterations > ScramPrimitives.MaxIterations)
        {
            throw new SockitException(
                SockitErrorCode.AuthFailed,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the server asks for {iterations} iterations; more than {ScramPrimitives.MaxIterations} are refused"));
        }

        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = $"{_clientFirstBare},{serverFirst},{withoutProof}";
        Keys = DeriveKeys(salt, iterations);
        var clientSignature = ScramPrimitives.Signature(ScramPrimitives.StoredKey(Keys.ClientKey), authMessage);
        var proof = ScramPrimitives.Xor(Keys.ClientKey, clientSignature);
        _expectedServerSignature = ScramPrimitives.Signature(Keys.ServerKey, authMessage);

        _step = ScramStep.AwaitingServerFinal;
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Reads the server-final message and checks, in constant time, that the server's signature is right.</summary>
    /// <exception cref="SockitException">
    /// Code <c>auth_failed</c>: the server reported an error (<c>e=</c>) or its signature is wrong;
    /// code <c>invalid_argument</c>: the message is malformed.
    /// </exception>
    /// <exception cref="InvalidOperationException">Not called right after <see cref="HandleServerFirst"/>.</exception>
    public void VerifyServerFinal(string serverFinal)
    {
        ArgumentNullException.ThrowIfNull(serverFinal);
        Require(ScramStep.AwaitingServerFinal);
        _step = ScramStep.Failed;

        var attributes = ScramAttributes.Split(serverFinal, ServerFinal);
        if (attributes[0].Name == 'e')
        {
            throw new SockitException(SockitErrorCode.AuthFailed, $"the server refused the login: {attributes[0].Value}");
        }

        var signature = ScramAttributes.DecodeBase64(ScramAttributes.Expect(attributes, 0, 'v', ServerFinal), "server signature (v=)");
        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new SockitException(
                SockitErrorCode.AuthFailed,
                "the server's signature is wrong: it does not know the password (wrong server?)");
        }

        _step = ScramStep.Succeeded;
    }

    private ScramClientKeys DeriveKeys(byte[] salt, int iterations)
    {
        if (_storedKeys is { } stored)
        {
            if (stored.Iterations != iterations || !CryptographicOperations.FixedTimeEquals(stored.Salt, salt))
            {
                throw new SockitException(
                    SockitErrorCode.AuthFailed,
                    "the saved login no longer matches the account (was its password changed?); log in again with the password");
            }

            return stored;
        }

        var saltedPassword = ScramPrimitives.SaltedPassword(_password!, salt, iterations);
        _password = null;
        var keys = new ScramClientKeys(salt, iterations, ScramPrimitives.ClientKey(saltedPassword), ScramPrimitives.ServerKey(saltedPassword));
        CryptographicOperations.ZeroMemory(saltedPassword);
        return keys;
    }

    private void Require(ScramStep expected)
    {
        if (_step != expected)
        {
            throw new InvalidOperationException(_step == ScramStep.Failed
                ? "this SCRAM exchange has failed; start a new one"
                : "the SCRAM messages are out of order; use a new ScramClient for each login attempt");
        }
    }
}
