namespace Sockit.Server.Accounts;

/// <summary>The users file as it is on disk (version 1). Byte arrays are base64 in JSON.</summary>
internal sealed class UserStoreFile
{
    public int Version { get; set; } = 1;

    public List<UserRecord> Users { get; set; } = [];

    /// <summary>The server's secret for fake SCRAM salts of unknown users; kept so they stay the same across restarts.</summary>
    public byte[]? ServerSecret { get; set; }
}
