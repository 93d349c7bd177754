namespace Sockit.Protocol.Files;

/// <summary>A request that names one path: <c>stat</c>, <c>mkdir</c>, <c>rm</c>.</summary>
public sealed class PathRequest
{
    /// <summary><c>stat</c>, <c>mkdir</c> or <c>rm</c>.</summary>
    public string Op { get; set; } = "";

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>The path, relative to the home.</summary>
    public string? Path { get; set; }

    /// <summary><c>mkdir</c>: create missing parents, and accept a folder that exists.</summary>
    public bool Parents { get; set; }

    /// <summary><c>rm</c>: remove a folder and everything in it.</summary>
    public bool Recursive { get; set; }
}
