namespace Sockit.Protocol.Messages;

/// <summary>Asks for the server's local time.</summary>
public sealed class TimeRequest
{
    /// <summary>Always <c>time</c>.</summary>
    public string Op { get; set; } = Ops.Time;

    /// <summary>Optional request id, echoed on the reply.</summary>
    public long? Id { get; set; }

    /// <summary>A Python strftime format; empty or absent means <c>%Y-%m-%d %X</c>.</summary>
    public string? Format { get; set; }
}
