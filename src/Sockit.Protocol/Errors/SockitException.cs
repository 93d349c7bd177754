namespace Sockit.Protocol.Errors;

/// <summary>The root of every exception Sockit throws on purpose. <see cref="Code"/> says what went wrong.</summary>
public class SockitException : Exception
{
    /// <summary>Creates an exception with a stable code and a human-readable message.</summary>
    public SockitException(SockitErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The stable error code, the same one that travels on the wire.</summary>
    public SockitErrorCode Code { get; }
}
