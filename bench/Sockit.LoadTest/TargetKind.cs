namespace Sockit.LoadTest;

/// <summary>What a load run talks to.</summary>
public enum TargetKind
{
    /// <summary>The real Sockit server, hosted in a child process.</summary>
    Sockit,

    /// <summary>Baseline (a): a bare Kestrel handler echoing length-prefixed frames, in a child process.</summary>
    Raw,

    /// <summary>Baseline (b): the tutorials' Python ThreadingTCPServer speaking the framed echo.</summary>
    Python,

    /// <summary>Baseline for <c>--exec</c>: the tutorials' command server (Popen with shell=True) on a ThreadingTCPServer.</summary>
    PythonExec,

    /// <summary>The real Sockit server with a plain and a TLS endpoint, for <c>--tls-compare</c>.</summary>
    SockitTls,

    /// <summary>A framed server already running on a loopback address.</summary>
    Address,
}
