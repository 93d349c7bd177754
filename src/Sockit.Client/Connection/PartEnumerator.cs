using System.Threading.Channels;

namespace Sockit.Client.Connection;

/// <summary>
/// Walks a streamed call's parts. Moving on returns the previous part's buffer to the pool and its body's bytes to
/// the call's output window.
/// </summary>
internal sealed class PartEnumerator : IAsyncEnumerator<SockitPart>
{
    private readonly ChannelReader<QueuedPart> _parts;
    private readonly Func<int, ValueTask> _consumed;
    private readonly CancellationToken _cancellationToken;
    private QueuedPart? _current;

    public PartEnumerator(ChannelReader<QueuedPart> parts, Func<int, ValueTask> consumed, CancellationToken cancellationToken)
    {
        _parts = parts;
        _consumed = consumed;
        _cancellationToken = cancellationToken;
    }

    public SockitPart Current =>
        _current?.ToPart() ?? throw new InvalidOperationException("there is no current part");

    public async ValueTask<bool> MoveNextAsync()
    {
        await ReleaseCurrentAsync().ConfigureAwait(false);
        while (await _parts.WaitToReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            if (_parts.TryRead(out var part))
            {
                _current = part;
                return true;
            }
        }

        return false;
    }

    public ValueTask DisposeAsync() => ReleaseCurrentAsync();

    private async ValueTask ReleaseCurrentAsync()
    {
        if (_current is { } part)
        {
            _current = null;
            part.Return();
            await _consumed(part.BodyLength).ConfigureAwait(false);
        }
    }
}
