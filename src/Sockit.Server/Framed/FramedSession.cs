using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json.Serialization.Metadata;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;
using Sockit.Protocol.Text;
using Sockit.Server.Auth;

namespace Sockit.Server.Framed;

/// <summary>
/// One framed connection as operations see it: where requests are read from and replies written to.
/// Only the connection's own loop uses it, one request at a time, so it is the connection's single writer.
/// </summary>
public sealed class FramedSession : IDisposable
{
    private readonly TimeSpan _writeTimeout;
    private CancellationTokenSource _writeDeadline = new();
    private bool _nonceSpent;

    internal FramedSession(
        string connectionId, string remoteAddress, string clientHost, FrameReader reader, PipeWriter output, TimeSpan writeTimeout)
    {
        ConnectionId = connectionId;
        RemoteAddress = remoteAddress;
        ClientHost = clientHost;
        Reader = reader;
        Output = output;
        Nonce = NewNonce();
        _writeTimeout = writeTimeout;
    }

    /// <summary>The server's id for this connection (as in the logs).</summary>
    public string ConnectionId { get; }

    /// <summary>The client's address, for logs and decisions.</summary>
    public string RemoteAddress { get; }

    /// <summary>
    /// What the client is counted by for connection limits and login throttling: its IPv4 address, its IPv6 /64
    /// network, or <c>local</c> for Unix sockets.
    /// </summary>
    public string ClientHost { get; }

    /// <summary>
    /// The current HMAC challenge (base64): first the one in the hello, then each one handed out by <c>auth</c>. Each is
    /// good for one login attempt.
    /// </summary>
    public string Nonce { get; private set; }

    /// <summary>Who the connection is logged in as; <see langword="null"/> while anonymous.</summary>
    public AuthenticatedUser? User { get; internal set; }

    /// <summary>When (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) an anonymous connection must have logged in by.</summary>
    internal long LoginDeadline { get; set; } = long.MaxValue;

    /// <summary>The SCRAM login in progress between its two steps, if any.</summary>
    internal Protocol.Auth.ScramServer? PendingScram { get; set; }

    /// <summary>Takes the current challenge for one attempt; <see langword="false"/> when it was already used.</summary>
    internal bool TryTakeNonce(out byte[] nonce)
    {
        nonce = Convert.FromBase64String(Nonce);
        if (_nonceSpent)
        {
            return false;
        }

        _nonceSpent = true;
        return true;
    }

    /// <summary>Replaces the challenge with a fresh one and returns it.</summary>
    internal string NewChallenge()
    {
        Nonce = NewNonce();
        _nonceSpent = false;
        return Nonce;
    }

    private static string NewNonce() => Convert.ToBase64String(Protocol.Auth.HmacChallenge.NewNonce());

    /// <summary>Reads the current request's body.</summary>
    public FrameReader Reader { get; }

    /// <summary>Where replies go. Write with the helpers below; flush for large bodies to apply back-pressure.</summary>
    public PipeWriter Output { get; }

    /// <summary>
    /// Whether a reply body is being streamed. If the request fails meanwhile, no error frame can be sent (it
    /// would land inside the reply's body), so the server closes the connection and the client sees a
    /// truncated reply.
    /// </summary>
    public bool IsStreamingReply { get; private set; }

    /// <summary>Marks the start of a reply whose body is written piece by piece as the request's body arrives.</summary>
    public void BeginStreamingReply() => IsStreamingReply = true;

    /// <summary>Marks the end of a streamed reply body.</summary>
    public void EndStreamingReply() => IsStreamingReply = false;

    /// <summary>
    /// How much written but unflushed output a connection may hold before the server flushes it and waits for the
    /// client to take it, whatever operation wrote it.
    /// </summary>
    public const int MaxUnflushedOutput = 64 * 1024;

    /// <summary>
    /// Whether the output written since the last flush has passed <see cref="MaxUnflushedOutput"/>. Outputs that cannot
    /// count unflushed bytes always report <see langword="true"/>, so every request is flushed.
    /// </summary>
    public bool IsOutputBackedUp => !Output.CanGetUnflushedBytes || Output.UnflushedBytes >= MaxUnflushedOutput;

    /// <summary>Writes a reply header; the <c>data_size</c> body bytes it announces must follow.</summary>
    public void WriteReply<T>(T reply, JsonTypeInfo<T> typeInfo) => FrameWriter.WriteHeader(Output, reply, typeInfo);

    /// <summary>Writes body bytes of the reply being sent.</summary>
    public void WriteBody(ReadOnlySequence<byte> body)
    {
        foreach (var segment in body)
        {
            Output.Write(segment.Span);
        }
    }

    /// <summary>Writes a failed reply.</summary>
    public void WriteError(SockitErrorCode code, string message, string? op = null, long? id = null) =>
        WriteErrorFrame(Output, code, message, op, id);

    /// <summary>Writes a failed reply to any connection's output, with or without a session.</summary>
    internal static void WriteErrorFrame(PipeWriter output, SockitErrorCode code, string message, string? op, long? id) =>
        FrameWriter.WriteHeader(
            output,
            // Messages may quote what a client sent; escaping here covers every operation's errors, present and future.
            new ErrorReply
            {
                Op = op is null ? null : UntrustedText.Escape(op),
                Id = id,
                Error = code.Value,
                Message = UntrustedText.Escape(message, UntrustedText.MaxMessageLength),
            },
            SockitJsonContext.Default.ErrorReply);

    /// <summary>
    /// Sends what has been written so far. A client that stops reading its replies for longer than the idle
    /// timeout gets a <see cref="SockitTimeoutException"/>, so it cannot hold a connection slot forever.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var pending = Output.FlushAsync(cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            ThrowIfCanceled(pending.Result);
            return ValueTask.CompletedTask;
        }

        // Only a flush that waits on the client (back-pressure) needs a deadline; most complete at once.
        return AwaitWithDeadlineAsync(pending, cancellationToken);
    }

    private async ValueTask AwaitWithDeadlineAsync(ValueTask<FlushResult> pending, CancellationToken cancellationToken)
    {
        if (_writeTimeout == Timeout.InfiniteTimeSpan)
        {
            ThrowIfCanceled(await pending.ConfigureAwait(false));
            return;
        }

        _writeDeadline.CancelAfter(_writeTimeout);
        var registration = _writeDeadline.Token.UnsafeRegister(static state => ((PipeWriter)state!).CancelPendingFlush(), Output);
        FlushResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        finally
        {
            registration.Dispose();
        }

        bool expired = _writeDeadline.IsCancellationRequested;
        if (!_writeDeadline.TryReset())
        {
            _writeDeadline.Dispose();
            _writeDeadline = new CancellationTokenSource();
        }

        if (result.IsCanceled && expired && !cancellationToken.IsCancellationRequested)
        {
            throw new SockitTimeoutException(
                $"the client read no reply data for {_writeTimeout.TotalSeconds:0.###} s", SockitErrorCode.WriteTimeout);
        }

        ThrowIfCanceled(result);
    }

    /// <summary>Releases the write deadline's timer. The connection's loop does this when the connection ends.</summary>
    public void Dispose() => _writeDeadline.Dispose();

    private static void ThrowIfCanceled(FlushResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the flush was cancelled");
        }
    }
}
