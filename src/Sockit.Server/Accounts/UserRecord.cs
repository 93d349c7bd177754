namespace Sockit.Server.Accounts;

/// <summary>One user in the users file.</summary>
internal sealed class UserRecord
{
    public string Name { get; set; } = "";

    public List<string> Permissions { get; set; } = [];

    public long? QuotaBytes { get; set; }

    public ScramRecord? Scram { get; set; }

    public List<KeyRecord> Keys { get; set; } = [];
}
