namespace Sockit.Protocol.Messages;

/// <summary>A <c>whoami</c> request.</summary>
public sealed class WhoAmIRequest
{
    /// <summary>Always <c>whoami</c>.</summary>
    public string Op { get; set; } = Ops.WhoAmI;

    /// <summary>The request's id, echoed in the reply.</summary>
    public long? Id { get; set; }
}
