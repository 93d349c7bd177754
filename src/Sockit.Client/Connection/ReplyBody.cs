namespace Sockit.Client.Connection;

/// <summary>
/// The body of a final reply, lent to the caller: the connection's reader is the caller's until the body has been read
/// to its end or the response is disposed, and the read loop waits for that (head-of-line for final bodies only).
/// </summary>
internal sealed class ReplyBody
{
    private readonly SockitClient _client;
    private readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _done;

    public ReplyBody(SockitClient client)
    {
        _client = client;
    }

    /// <summary>Completes when the reader is back with the read loop.</summary>
    public Task Returned => _returned.Task;

    /// <summary>Whether the reader is still lent out.</summary>
    public bool IsLent => Volatile.Read(ref _done) == 0;

    /// <summary>Body bytes not read yet.</summary>
    public long Remaining => IsLent ? _client.LentBodyRemaining : 0;

    /// <summary>Reads body bytes; 0 at the end. Reading the last byte hands the reader back.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        IsLent ? _client.ReadLentBodyAsync(this, destination, cancellationToken) : ValueTask.FromResult(0);

    /// <summary>Hands the reader back; a body left unread closes the connection unless the rest has already arrived.</summary>
    public void Return()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _client.EndLentBody(this);
            _returned.TrySetResult();
        }
    }
}
