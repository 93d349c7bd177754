using System.Security.Cryptography;

namespace Sockit.Protocol.Auth;

/// <summary>
/// What a server stores for one SCRAM-SHA-256 user (RFC 5802 section 3): the salt, the iteration count,
/// <c>StoredKey</c> and <c>ServerKey</c>. The password itself cannot be recovered from them.
/// </summary>
/// <remarks>
/// Equality is the record's default: the arrays are compared by reference, not by content.
/// </remarks>
/// <param name="Salt">The random salt given to PBKDF2.</param>
/// <param name="Iterations">The PBKDF2 iteration count.</param>
/// <param name="StoredKey"><c>SHA-256(ClientKey)</c>, which checks the client's proof.</param>
/// <param name="ServerKey"><c>HMAC(SaltedPassword, "Server Key")</c>, which signs the server's final message.</param>
public sealed record ScramCredentials(byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    /// <summary>The iteration count <see cref="Create"/> uses by default, also the least RFC 7677 allows.</summary>
    public const int DefaultIterations = ScramPrimitives.MinIterations;

    /// <summary>The most iterations an account may have: clients refuse to compute more.</summary>
    public const int MaxIterations = ScramPrimitives.MaxIterations;

    /// <summary>The length of the random salt <see cref="Create"/> makes.</summary>
    public const int DefaultSaltSize = 16;

    /// <summary>
    /// Derives the credentials for a password: <c>SaltedPassword = PBKDF2-HMAC-SHA-256(SASLprep(password), salt, iterations)</c>,
    /// <c>ClientKey = HMAC(SaltedPassword, "Client Key")</c>, <c>StoredKey = SHA-256(ClientKey)</c>,
    /// <c>ServerKey = HMAC(SaltedPassword, "Server Key")</c>.
    /// </summary>
    /// <param name="password">The password; it is prepared with <see cref="SaslPrep"/> first.</param>
    /// <param name="iterations">The PBKDF2 iteration count, at least 4096.</param>
    /// <param name="salt">The salt, or <see langword="null"/> for 16 random bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is below 4096 or above 10,000,000.</exception>
    /// <exception cref="ArgumentException">
    /// The password is empty once prepared, or SASLprep refuses it; or <paramref name="salt"/> is empty.
    /// </exception>
    public static ScramCredentials Create(string password, int iterations = DefaultIterations, byte[]? salt = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, ScramPrimitives.MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, ScramPrimitives.MaxIterations);
        if (salt is { Length: 0 })
        {
            throw new ArgumentException("the salt is empty", nameof(salt));
        }

        var prepared = PreparePassword(password, nameof(password));
        salt = salt is null ? RandomNumberGenerator.GetBytes(DefaultSaltSize) : (byte[])salt.Clone();
        var saltedPassword = ScramPrimitives.SaltedPassword(prepared, salt, iterations);
        try
        {
            var storedKey = ScramPrimitives.StoredKey(ScramPrimitives.ClientKey(saltedPassword));
            return new ScramCredentials(salt, iterations, storedKey, ScramPrimitives.ServerKey(saltedPassword));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(saltedPassword);
        }
    }

    /// <summary>SASLprep, then refuse an empty result: an empty password is never a real one.</summary>
    internal static string PreparePassword(string password, string paramName)
    {
        var prepared = SaslPrep.Prepare(password, paramName);
        if (prepared.Length == 0)
        {
            throw new ArgumentException("the password is empty (after SASLprep)", paramName);
        }

        return prepared;
    }
}
