namespace Sockit.Client.Exec;

/// <summary>How to run a remote command (<see cref="SockitClient.ExecAsync(string, SockitExecOptions?, CancellationToken)"/>).</summary>
public sealed record SockitExecOptions
{
    /// <summary>The largest <see cref="StandardInput"/> sent with the request; more goes through <see cref="SockitExecution.WriteInputAsync"/>.</summary>
    public const int MaxStandardInputLength = 64 * 1024;

    /// <summary>No working folder, environment changes, timeout or input; pipes, not a terminal.</summary>
    public static SockitExecOptions Default { get; } = new();

    /// <summary>The working folder on the server; the server's own when <see langword="null"/>.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment changes on top of the server's: a value sets a variable, <see langword="null"/> removes it.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>When the server ends the command; the server's default when <see langword="null"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The start of standard input, sent with the request (at most <see cref="MaxStandardInputLength"/> bytes).</summary>
    public ReadOnlyMemory<byte> StandardInput { get; init; }

    /// <summary>
    /// Whether standard input stays open after <see cref="StandardInput"/> for <see cref="SockitExecution.WriteInputAsync"/>
    /// until <see cref="SockitExecution.CompleteInputAsync"/>; otherwise the command reads end of file after it.
    /// </summary>
    public bool KeepInputOpen { get; init; }

    /// <summary>Whether to run the command on a pseudo-terminal on the server (Linux servers).</summary>
    public bool Pty { get; init; }

    /// <summary>The terminal's size with <see cref="Pty"/>; 24×80 when <see langword="null"/>.</summary>
    public (int Rows, int Columns)? WindowSize { get; init; }

    /// <summary>The <c>TERM</c> value with <see cref="Pty"/>; the server's default (<c>xterm-256color</c>) when <see langword="null"/>.</summary>
    public string? Term { get; init; }

    /// <summary>How much output the server may send ahead of what has been read (the call's output window).</summary>
    public int OutputWindow { get; init; } = 1024 * 1024;
}
