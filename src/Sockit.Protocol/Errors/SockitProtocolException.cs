namespace Sockit.Protocol.Errors;

/// <summary>
/// The bytes received break the frame format (bad length, bad header, oversized body, truncated frame).
/// The connection cannot be trusted to be in sync afterwards, so it is closed after the error is reported.
/// </summary>
public sealed class SockitProtocolException : SockitException
{
    /// <summary>Creates a protocol violation with its stable code.</summary>
    public SockitProtocolException(
        SockitErrorCode code, string message, Exception? innerException = null, long? requestId = null)
        : base(code, message, innerException)
    {
        RequestId = requestId;
    }

    /// <summary>The <c>id</c> of the offending frame, when its header got far enough to say.</summary>
    public long? RequestId { get; }
}
