using Sockit.Protocol.Messages;

namespace Sockit.Protocol.Exec;

/// <summary>
/// An <c>exec</c> request: a command to run on the server (docs/protocol.md, 5.6). Exactly one of <see cref="Command"/>
/// and <see cref="Argv"/>; the body, if any, is the start of the command's standard input.
/// </summary>
public sealed class ExecRequest
{
    /// <summary>Always <c>exec</c>.</summary>
    public string Op { get; set; } = Ops.Exec;

    /// <summary>The request's id; needed for parts, input, control and cancel.</summary>
    public long? Id { get; set; }

    /// <summary>The output window the client grants (at least 65,536), or <see langword="null"/> for none.</summary>
    public long? Window { get; set; }

    /// <summary>A command line for the platform shell (<c>/bin/sh -c</c>).</summary>
    public string? Command { get; set; }

    /// <summary>A program and its arguments, run without a shell.</summary>
    public IReadOnlyList<string>? Argv { get; set; }

    /// <summary>The working folder; the server's own when absent.</summary>
    public string? Cwd { get; set; }

    /// <summary>Environment changes on top of the server's: a value sets a variable, <see langword="null"/> removes it.</summary>
    public IReadOnlyDictionary<string, string?>? Env { get; set; }

    /// <summary>Seconds before the command's process tree is ended; the server's default when absent.</summary>
    public double? TimeoutS { get; set; }

    /// <summary>Whether standard input stays open for <c>input</c> frames until <c>end</c>.</summary>
    public bool? Input { get; set; }

    /// <summary>Whether to run the command on a pseudo-terminal.</summary>
    public bool? Pty { get; set; }

    /// <summary>The terminal's rows, with <see cref="Pty"/>.</summary>
    public int? Rows { get; set; }

    /// <summary>The terminal's columns, with <see cref="Pty"/>.</summary>
    public int? Cols { get; set; }

    /// <summary>The <c>TERM</c> value, with <see cref="Pty"/>.</summary>
    public string? Term { get; set; }

    /// <summary>Size of the body: the start of standard input.</summary>
    public long? DataSize { get; set; }
}
