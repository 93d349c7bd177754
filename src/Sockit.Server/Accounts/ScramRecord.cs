namespace Sockit.Server.Accounts;

/// <summary>A SCRAM-SHA-256 verifier in the users file: never the password itself.</summary>
internal sealed class ScramRecord
{
    public byte[] Salt { get; set; } = [];

    public int Iterations { get; set; }

    public byte[] StoredKey { get; set; } = [];

    public byte[] ServerKey { get; set; } = [];
}
