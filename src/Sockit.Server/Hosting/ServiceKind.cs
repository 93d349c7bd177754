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

    /// <summary>
    /// The receiving end of the tutorials' file upload: a length, a JSON header with the file's name, size and MD5, and
    /// the file. TCP and Unix sockets, bound only from <c>Sockit:Files:Legacy:Address</c>.
    /// </summary>
    LegacyUpload,
}
