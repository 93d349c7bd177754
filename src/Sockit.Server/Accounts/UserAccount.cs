using Sockit.Protocol.Auth;

namespace Sockit.Server.Accounts;

/// <summary>
/// One account. It holds no password: only the SCRAM verifier derived from it, and the HMAC keys issued
/// for scripts (which the server needs whole to check a challenge answer, so the store file is secret).
/// </summary>
/// <param name="Name">The user name: 1 to 64 characters, letters, digits, '.', '_', '-' and '@'.</param>
/// <param name="Permissions">What the user may do.</param>
/// <param name="QuotaBytes">Disk quota for the file service; <see langword="null"/> for none.</param>
/// <param name="Password">The SCRAM-SHA-256 verifier, or <see langword="null"/> when the account has no password.</param>
/// <param name="Keys">The HMAC keys issued to the account.</param>
public sealed record UserAccount(
    string Name,
    Permissions Permissions,
    long? QuotaBytes,
    ScramCredentials? Password,
    IReadOnlyList<AccountKey> Keys);
