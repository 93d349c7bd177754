using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;

namespace Sockit.Client;

public sealed partial class SockitClient
{
    private async Task<HelloMessage> ReadHelloAsync(CancellationToken cancellationToken)
    {
        var head = await _reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new SockitConnectionException(
                SockitErrorCode.ConnectionClosed, $"{_peer} closed the connection without saying hello");

        var status = head.Deserialize(SockitJsonContext.Default.ReplyStatus);
        if (!status.Ok)
        {
            // A server at its connection limit answers with a failed frame instead of a hello, then closes.
            throw RemoteError(status, null);
        }

        if (head.Op != Ops.Hello)
        {
            throw new SockitProtocolException(
                SockitErrorCode.ProtocolError, $"{_peer} sent '{head.Op}' where a hello was expected");
        }

        var hello = head.Deserialize(SockitJsonContext.Default.HelloMessage);
        await _reader.SkipBodyAsync(cancellationToken).ConfigureAwait(false);
        return hello;
    }

    private static SockitRemoteException RemoteError(ReplyStatus status, long? requestId)
    {
        var code = string.IsNullOrEmpty(status.Error) ? SockitErrorCode.ProtocolError : new SockitErrorCode(status.Error);
        var message = string.IsNullOrEmpty(status.Message) ? $"the server replied with error {code}" : status.Message;
        return new SockitRemoteException(code, message, status.Id ?? requestId);
    }
}
