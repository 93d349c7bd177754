namespace Sockit.LocalFiles;

/// <summary>An HMAC key and the user it logs in as.</summary>
/// <param name="User">The user name; <see langword="null"/> when a key file holds only the key.</param>
/// <param name="KeyId">The key's public id, when known (to name it in messages and revoke it).</param>
/// <param name="Secret">The key itself.</param>
public sealed record KeyCredential(string? User, string? KeyId, byte[] Secret);
