namespace Sockit.Protocol.Errors;

/// <summary>A deadline passed: connecting, waiting for a reply, or waiting for the peer to send.</summary>
public sealed class SockitTimeoutException : SockitException
{
    /// <summary>Creates the exception; <paramref name="code"/> defaults to <see cref="SockitErrorCode.Timeout"/>.</summary>
    public SockitTimeoutException(string message, SockitErrorCode? code = null, Exception? innerException = null)
        : base(code ?? SockitErrorCode.Timeout, message, innerException)
    {
    }
}
