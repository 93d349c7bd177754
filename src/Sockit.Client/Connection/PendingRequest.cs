using Sockit.Protocol.Errors;
using Sockit.Protocol.Framing;
using Sockit.Protocol.Messages;

namespace Sockit.Client.Connection;

/// <summary>
/// A request the read loop routes frames to, from the moment its header is written until its final reply arrives
/// (or the connection fails). It holds one of the connection's in-flight slots all that time.
/// </summary>
internal abstract class PendingRequest
{
    private int _abandoned;

    /// <summary>The request's <c>id</c>, assigned as its header is written.</summary>
    public long Id { get; set; }

    /// <summary>
    /// Whether the caller gave up (cancelled, timed out, disposed the call). The server may still send parts and a
    /// final reply for it; the read loop drops them, and the slot is freed when the final reply comes.
    /// </summary>
    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    /// <summary>The output window to request (the request's <c>window</c> field), or <see langword="null"/> for none.</summary>
    public virtual long? OutputWindow => null;

    /// <summary>
    /// The final reply has arrived; its body, if any, is still on the wire and <paramref name="body"/> lends it out.
    /// Returns whether the caller took the body (the read loop then waits for it to come back); otherwise the read
    /// loop skips it.
    /// </summary>
    /// <exception cref="SockitProtocolException">The reply header does not fit the expected reply type.</exception>
    public abstract bool OnFinalReply(FrameHead head, ReplyStatus status, ReplyBody? body);

    /// <summary>
    /// A part has arrived; its body is still on the wire. A request that takes parts reads the body; the read loop
    /// skips whatever is left.
    /// </summary>
    public virtual ValueTask AcceptPartAsync(FrameHead head, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The server granted <paramref name="credit"/> more bytes of input.</summary>
    public virtual void GrantInput(long credit)
    {
    }

    /// <summary>Fails the request because the connection failed; <paramref name="reason"/> says why.</summary>
    public abstract void Fail(SockitException reason);

    /// <summary>Marks the request abandoned; <see langword="false"/> if it already was.</summary>
    protected bool MarkAbandoned() => Interlocked.Exchange(ref _abandoned, 1) == 0;
}
