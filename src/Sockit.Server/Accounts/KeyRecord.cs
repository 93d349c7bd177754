namespace Sockit.Server.Accounts;

/// <summary>An HMAC key in the users file.</summary>
internal sealed class KeyRecord
{
    public string Id { get; set; } = "";

    public byte[] Secret { get; set; } = [];

    public DateTimeOffset Created { get; set; }
}
