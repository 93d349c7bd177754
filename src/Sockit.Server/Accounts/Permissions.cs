namespace Sockit.Server.Accounts;

/// <summary>What a signed-in user may do beyond the anonymous operations.</summary>
[Flags]
public enum Permissions
{
    /// <summary>Nothing beyond what anonymous connections may do.</summary>
    None = 0,

    /// <summary>Run commands on the server.</summary>
    Exec = 1,

    /// <summary>Upload and download files.</summary>
    Files = 2,

    /// <summary>Take part in chat.</summary>
    Chat = 4,

    /// <summary>Manage accounts and the server.</summary>
    Admin = 8,
}
