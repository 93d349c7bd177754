namespace Sockit.Server.Accounts;

/// <summary>An HMAC key issued to an account by <c>sockit user key</c>.</summary>
/// <param name="Id">A short public id, so a key can be named and revoked without showing it.</param>
/// <param name="Secret">The key itself (32 random bytes), shown to the user once when issued.</param>
/// <param name="Created">When it was issued.</param>
public sealed record AccountKey(string Id, byte[] Secret, DateTimeOffset Created);
