namespace Sockit.Protocol.Exec;

/// <summary>
/// A <c>control</c> frame for a running <c>exec</c> request: a new terminal size (<see cref="Rows"/> and
/// <see cref="Cols"/>), or a signal for the command's process group.
/// </summary>
public sealed class ExecControl
{
    /// <summary>Always <c>control</c>.</summary>
    public string Kind { get; set; } = "control";

    /// <summary>The running request's id.</summary>
    public long Id { get; set; }

    /// <summary>The terminal's new number of rows.</summary>
    public int? Rows { get; set; }

    /// <summary>The terminal's new number of columns.</summary>
    public int? Cols { get; set; }

    /// <summary>A signal's name without <c>SIG</c>: <c>INT</c>, <c>TERM</c>, <c>HUP</c>, ...</summary>
    public string? Signal { get; set; }
}
