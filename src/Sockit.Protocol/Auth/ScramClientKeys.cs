namespace Sockit.Protocol.Auth;

/// <summary>
/// What a SCRAM client derives from a password for one account: enough to log in again without the password, so a
/// saved login need not store it. Treat it as a secret: it logs in to that account (until its password changes),
/// though it does not reveal the password itself.
/// </summary>
/// <param name="Salt">The account's salt, as the server sent it.</param>
/// <param name="Iterations">The account's iteration count, as the server sent it.</param>
/// <param name="ClientKey">HMAC(SaltedPassword, "Client Key").</param>
/// <param name="ServerKey">HMAC(SaltedPassword, "Server Key"), to check the server's signature.</param>
public sealed record ScramClientKeys(byte[] Salt, int Iterations, byte[] ClientKey, byte[] ServerKey);
