namespace Sockit.Server.Exec;

/// <summary>Remote commands (the <c>exec</c> operation and the legacy command listener), bound from <c>Sockit:Exec</c>.</summary>
public sealed class ExecOptions
{
    /// <summary>Whether users with the <c>exec</c> permission may run commands at all; <see langword="false"/> refuses every <c>exec</c> with <c>forbidden</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a command without <c>timeout_s</c> may run (a <c>pty</c> command: <see cref="MaxTimeout"/>).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest <c>timeout_s</c> a client may ask for.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Commands running at once on the whole server; one more gets <c>server_busy</c>.</summary>
    public int MaxRunning { get; set; } = 64;

    /// <summary>Commands one user may run at once; one more gets <c>server_busy</c>.</summary>
    public int MaxRunningPerUser { get; set; } = 8;

    /// <summary>How long an ended command's processes get between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The shell that runs a <c>command</c> string, as <c>SHELL -c COMMAND</c>.</summary>
    public string Shell { get; set; } = "/bin/sh";

    /// <summary>The tutorials' command protocol on a listener of its own, off unless given an address (<c>Sockit:Exec:Legacy</c>).</summary>
    public LegacyExecOptions Legacy { get; } = new();
}
