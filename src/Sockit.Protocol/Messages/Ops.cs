namespace Sockit.Protocol.Messages;

/// <summary>The operation names of the framed protocol (the <c>op</c> header field).</summary>
public static class Ops
{
    /// <summary>The server's greeting, the first frame on every framed connection.</summary>
    public const string Hello = "hello";

    /// <summary>Sends the body back, upper-cased on request.</summary>
    public const string Echo = "echo";

    /// <summary>Replies with the server's local time in a strftime format.</summary>
    public const string Time = "time";

    /// <summary>Logs the connection in (SCRAM-SHA-256 or the HMAC challenge), or asks for a fresh challenge.</summary>
    public const string Auth = "auth";

    /// <summary>Says who the connection is logged in as, and with which permissions.</summary>
    public const string WhoAmI = "whoami";

    /// <summary>Subscribes the connection to server event topics.</summary>
    public const string Subscribe = "subscribe";

    /// <summary>Ends subscriptions to server event topics.</summary>
    public const string Unsubscribe = "unsubscribe";

    /// <summary>Runs a command on the server, streaming its output, input and exit status.</summary>
    public const string Exec = "exec";

    /// <summary>Lists a folder of the caller's home.</summary>
    public const string Ls = "ls";

    /// <summary>Describes one file or folder.</summary>
    public const string Stat = "stat";

    /// <summary>Creates a folder.</summary>
    public const string Mkdir = "mkdir";

    /// <summary>Removes a file, or a folder with everything in it.</summary>
    public const string Rm = "rm";

    /// <summary>Renames or moves a file or folder.</summary>
    public const string Mv = "mv";

    /// <summary>Says how much of the quota the home uses.</summary>
    public const string Df = "df";

    /// <summary>Uploads a file.</summary>
    public const string Put = "put";

    /// <summary>Downloads a file.</summary>
    public const string Get = "get";
}
