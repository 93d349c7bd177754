namespace Sockit.Client.Auth;

/// <summary>One saved login, as <c>sockit login</c> stores it for a server.</summary>
internal sealed class SavedLogin
{
    public string User { get; set; } = "";

    public string Mechanism { get; set; } = "";

    public byte[]? Salt { get; set; }

    public int Iterations { get; set; }

    public byte[]? ClientKey { get; set; }

    public byte[]? ServerKey { get; set; }

    public byte[]? Key { get; set; }
}
