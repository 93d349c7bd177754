namespace Sockit.Protocol.Errors;

/// <summary>The server answered a request with a failed reply; <see cref="SockitException.Code"/> is its <c>error</c>.</summary>
public sealed class SockitRemoteException : SockitException
{
    /// <summary>Creates the exception from a failed reply.</summary>
    public SockitRemoteException(SockitErrorCode code, string message, long? requestId = null)
        : base(code, message)
    {
        RequestId = requestId;
    }

    /// <summary>The <c>id</c> of the request that failed, when the reply carried one.</summary>
    public long? RequestId { get; }
}
