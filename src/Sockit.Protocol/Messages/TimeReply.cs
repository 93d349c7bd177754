namespace Sockit.Protocol.Messages;

/// <summary>The server's local time, formatted as asked.</summary>
public sealed class TimeReply
{
    /// <summary>Always <c>time</c>.</summary>
    public string Op { get; set; } = Ops.Time;

    /// <summary>The request's id, when it had one.</summary>
    public long? Id { get; set; }

    /// <summary>Always <see langword="true"/>.</summary>
    public bool Ok { get; set; } = true;

    /// <summary>The formatted time.</summary>
    public string Time { get; set; } = "";
}
