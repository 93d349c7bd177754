namespace Sockit.Protocol.Files;

/// <summary>The reply to <c>mkdir</c>, <c>rm</c> and <c>mv</c>.</summary>
public sealed class FileReply
{
    /// <summary>The request's op.</summary>
    public string Op { get; set; } = "";

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>Always true.</summary>
    public bool Ok { get; set; } = true;

    /// <summary><c>rm</c>: how many entries were removed.</summary>
    public long? Removed { get; set; }
}
