namespace Sockit.Cli;

/// <summary>
/// The process exit codes of <c>sockit</c>; each kind of failure has its own, so scripts can tell them apart. A remote
/// command's own status (0 to 255, 128 + N for signal N) passes through <c>sockit exec</c> and <c>sockit shell</c> as
/// it is, as with <c>ssh</c>: a failure of sockit itself then says so in a line on standard error.
/// </summary>
internal enum ExitCode
{
    /// <summary>Everything worked.</summary>
    Ok = 0,

    /// <summary>An unexpected failure.</summary>
    Failure = 1,

    /// <summary>The command line (or an argument's value) is wrong.</summary>
    Usage = 2,

    /// <summary>Nothing listens at the address: the server is not running.</summary>
    ConnectionRefused = 3,

    /// <summary>The connection or a reply did not come in time.</summary>
    Timeout = 4,

    /// <summary>The address cannot be parsed or used.</summary>
    InvalidAddress = 5,

    /// <summary>The server answered with an error.</summary>
    ServerError = 6,

    /// <summary>The server sent something that breaks the protocol.</summary>
    ProtocolError = 7,

    /// <summary>The host name does not resolve.</summary>
    HostNotFound = 8,

    /// <summary>The connection broke, or another network failure.</summary>
    NetworkError = 9,

    /// <summary>The login was refused (wrong credentials, locked out), or the user may not do this.</summary>
    AuthFailed = 10,

    /// <summary>The server's certificate was refused, or TLS failed.</summary>
    TlsFailed = 11,

    /// <summary>A remote command ran past its timeout and was ended (as coreutils' <c>timeout</c> reports it).</summary>
    CommandTimedOut = 124,

    /// <summary>
    /// Standard output was closed by its reader (<c>| head</c>), so a remote command's output had nowhere to go: 128 +
    /// SIGPIPE, as a program that signal ends reports it.
    /// </summary>
    OutputClosed = 141,

    /// <summary>Interrupted by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    Cancelled = 130,
}
