using System.Text;
using Sockit.Protocol.Auth;

namespace Sockit.Protocol.Tests.Auth;

/// <summary>The exchange of RFC 7677 section 3, and helpers to build servers and hand-made client-final messages.</summary>
internal static class ScramTestVector
{
    public const string User = "user";
    public const string Password = "pencil";
    public const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    public const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    public const string Salt = "W22ZaJ0SNY7soEsUEjb6gQ==";
    public const string ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    public const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    public const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    public const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    public static readonly byte[] Secret = Encoding.ASCII.GetBytes("a server secret of at least 16 bytes");

    public static readonly ScramCredentials Credentials =
        ScramCredentials.Create(Password, 4096, Convert.FromBase64String(Salt));

    /// <summary>A server that knows only "user"/"pencil"; <paramref name="serverNonce"/> null means a random one.</summary>
    public static ScramServer NewServer(string? serverNonce = ServerNonce) =>
        new(name => name == User ? Credentials : null, Secret, serverNonce);

    /// <summary>
    /// Builds a client-final message with a correct proof for any channel binding and nonce, so a test can show
    /// that the server checks those values on their own and not only through the proof.
    /// </summary>
    public static string ForgeClientFinal(string clientFirstBare, string serverFirst, string withoutProof)
    {
        var saltedPassword = ScramPrimitives.SaltedPassword(Password, Convert.FromBase64String(Salt), 4096);
        var clientKey = ScramPrimitives.ClientKey(saltedPassword);
        var authMessage = $"{clientFirstBare},{serverFirst},{withoutProof}";
        var signature = ScramPrimitives.Signature(ScramPrimitives.StoredKey(clientKey), authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(ScramPrimitives.Xor(clientKey, signature))}";
    }
}
