using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>A <c>get</c> request: download one file from an offset.</summary>
public sealed class GetRequest
{
    /// <summary>Always <c>get</c>.</summary>
    public string Op { get; set; } = Ops.Get;

    /// <summary>The request id; needed for parts.</summary>
    public long? Id { get; set; }

    /// <summary>The output window.</summary>
    public long? Window { get; set; }

    /// <summary>The file, relative to the home.</summary>
    public string? Path { get; set; }

    /// <summary>Where to start: the length of the client's partial file, to resume.</summary>
    public long Offset { get; set; }
}
