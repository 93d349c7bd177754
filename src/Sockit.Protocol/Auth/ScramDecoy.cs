using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sockit.Protocol.Auth;

/// <summary>
/// The salt and iteration count a SCRAM server shows for a user it does not know, made so that the answer cannot be
/// told from a real account's: both are derived from a server secret and the user name, so a name gets the same
/// answer every time, and the iteration count is drawn from the counts real accounts use, in the same proportions.
/// </summary>
/// <remarks>
/// <para>
/// If one account in four uses 10000 iterations and the rest 4096, one unknown name in four answers 10000, and
/// which ones cannot be predicted without the secret; so seeing <c>i=10000</c> says no more about a name than
/// seeing <c>i=4096</c>. A fixed count for unknown names would instead single out every account with another count.
/// </para>
/// <para>
/// The draw is a weighted rendezvous: each count scores <c>-ln(u) / accounts</c>, with <c>u</c> in (0, 1] taken
/// from an HMAC of the secret, the count and the name, and the lowest score wins. When accounts are added or
/// removed, an unknown name's count changes only if it moves to the count that gained accounts or away from the one
/// that lost them, so the fewest names change.
/// </para>
/// </remarks>
public sealed class ScramDecoy
{
    private readonly byte[] _secret;
    private readonly (int Iterations, int Accounts)[] _counts;

    /// <summary>Creates the decoy for a server with <paramref name="secret"/> and accounts using <paramref name="accountIterations"/>.</summary>
    /// <param name="secret">A server-wide secret of at least 16 bytes, kept across restarts.</param>
    /// <param name="accountIterations">
    /// The iteration count of each account that has a password, one entry per account. When there are none, unknown
    /// users get <see cref="ScramCredentials.DefaultIterations"/>, what a new account gets.
    /// </param>
    /// <exception cref="ArgumentException">The secret is shorter than 16 bytes, or a count is not positive.</exception>
    public ScramDecoy(byte[] secret, IEnumerable<int> accountIterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(accountIterations);
        if (secret.Length < 16)
        {
            throw new ArgumentException("the unknown-user secret must be at least 16 bytes", nameof(secret));
        }

        _secret = (byte[])secret.Clone();
        _counts = [.. accountIterations
            .GroupBy(iterations => iterations)
            .Select(group => (group.Key, group.Count()))
            .OrderBy(count => count.Key)];
        if (_counts.Any(count => count.Iterations <= 0))
        {
            throw new ArgumentException("every iteration count must be positive", nameof(accountIterations));
        }

        if (_counts.Length == 0)
        {
            _counts = [(ScramCredentials.DefaultIterations, 1)];
        }
    }

    /// <summary>A salt that looks real and stays the same for the same user name, without revealing the secret.</summary>
    public byte[] Salt(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var hash = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes("sockit-scram-fake-salt:" + userName));
        return hash[..ScramCredentials.DefaultSaltSize];
    }

    /// <summary>The iteration count shown for <paramref name="userName"/>: one real accounts use, chosen as the remarks say.</summary>
    public int Iterations(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (_counts.Length == 1)
        {
            return _counts[0].Iterations;
        }

        int chosen = _counts[0].Iterations;
        double best = double.PositiveInfinity;
        foreach (var (iterations, accounts) in _counts)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"sockit-scram-fake-iterations:{iterations}:{userName}");
            var hash = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(label));

            // 53 random bits, the precision of a double, shifted into (0, 1] so the logarithm is finite.
            double uniform = ((BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) + 1.0) / (1UL << 53);
            double score = -Math.Log(uniform) / accounts;
            if (score < best)
            {
                best = score;
                chosen = iterations;
            }
        }

        return chosen;
    }
}
