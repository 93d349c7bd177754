namespace Sockit.Protocol.Errors;

/// <summary>A network failure: the connection could not be made, or it broke.</summary>
public sealed class SockitConnectionException : SockitException
{
    /// <summary>Creates the exception with the code that best describes the failure.</summary>
    public SockitConnectionException(SockitErrorCode code, string message, Exception? innerException = null)
        : base(code, message, innerException)
    {
    }
}
