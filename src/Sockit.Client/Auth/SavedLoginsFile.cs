namespace Sockit.Client.Auth;

/// <summary>The saved-logins file as it is on disk (version 1): logins by server address.</summary>
internal sealed class SavedLoginsFile
{
    public int Version { get; set; } = 1;

    public Dictionary<string, SavedLogin> Logins { get; set; } = new(StringComparer.Ordinal);
}
