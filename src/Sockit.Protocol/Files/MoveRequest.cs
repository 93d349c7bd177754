using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Files;

/// <summary>An <c>mv</c> request: rename or move a file or folder inside the home.</summary>
public sealed class MoveRequest
{
    /// <summary>Always <c>mv</c>.</summary>
    public string Op { get; set; } = Ops.Mv;

    /// <summary>The request id.</summary>
    public long? Id { get; set; }

    /// <summary>What to move.</summary>
    public string? From { get; set; }

    /// <summary>Its new path.</summary>
    public string? To { get; set; }

    /// <summary>Replace an existing file at <see cref="To"/>.</summary>
    public bool Overwrite { get; set; }
}
