using System.Buffers;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Sessions;

/// <summary>
/// Writes the body of a final reply whose header is already out (see <see cref="SockitRequest.BeginReplyAsync{T}"/>).
/// Holds the connection's output until completed: write exactly the <c>data_size</c> the header announced.
/// </summary>
public sealed class ReplyBodyWriter
{
    private readonly SockitRequest _request;
    private readonly SessionOutput _output;
    private bool _completed;

    internal ReplyBodyWriter(SockitRequest request, SessionOutput output)
    {
        _request = request;
        _output = output;
    }

    /// <summary>Adds body bytes; they go out at the next flush.</summary>
    public void Write(ReadOnlySequence<byte> body)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        foreach (var segment in body)
        {
            _output.Writer.Write(segment.Span);
        }
    }

    /// <summary>Sends what has been written, waiting while the client is not reading (up to the write deadline).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        return _output.FlushAsync(cancellationToken);
    }

    /// <summary>Ends the body and lets other frames of the connection out again.</summary>
    public ValueTask CompleteAsync()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        return _request.EndStreamedReplyAsync(_output);
    }
}
