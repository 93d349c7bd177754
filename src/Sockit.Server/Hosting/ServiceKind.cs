namespace Sockit.Server.Hosting;

/// <summary>What an endpoint serves.</summary>
public enum ServiceKind
{
    /// <summary>The framed protocol (hello, echo, time, ...). TCP and Unix sockets.</summary>
    Framed,

    /// <summary>The tutorials' upper-case echo: bytes in, upper-cased bytes out. TCP, Unix sockets and UDP.</summary>
    UpperEcho,

    /// <summary>The tutorials' time server: a strftime format in, the formatted time out. UDP only.</summary>
    Time,

    /// <summary>
    /// The tutorials' remote-command server: a command in, its output behind a length and a JSON header out. TCP and
    /// Unix sockets, bound only from <c>Sockit:Exec:Legacy:Address</c>.
    /// </summary>
    LegacyExec,
}
