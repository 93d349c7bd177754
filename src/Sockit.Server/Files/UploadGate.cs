using Sockit.Protocol.Errors;
using Sockit.Server.Sessions.Internal;

namespace Sockit.Server.Files;

/// <summary>
/// One upload at a time per target, in this process, with a short wait: an upload that was just cancelled or cut off
/// still holds its target for the moment it takes the server to notice, and the same upload run again at once should
/// resume, not be told <c>busy</c>. Past the wait, the second upload gets <c>busy</c>. (The partial file's own
/// <c>flock</c> still guards against anything outside this process.)
/// </summary>
internal sealed class UploadGate
{
    /// <summary>How long a second upload of one target waits for the first to end.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _targets = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="target"/> (a user and path); dispose the result when the upload ends.</summary>
    /// <exception cref="SockitException"><c>busy</c> when another upload keeps it past <see cref="Wait"/>.</exception>
    public async Task<IDisposable> EnterAsync(string target, string display, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_lock)
        {
            var entry = _targets.TryGetValue(target, out var found) ? found : (new SemaphoreSlim(1, 1), 0);
            _targets[target] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }

        try
        {
            if (await gate.WaitAsync(Wait, cancellationToken).ConfigureAwait(false))
            {
                return new ReleaseOnce(() =>
                {
                    gate.Release();
                    Leave(target);
                });
            }
        }
        catch
        {
            Leave(target);
            throw;
        }

        Leave(target);
        throw new SockitException(SockitErrorCode.Busy, $"cannot upload {display}: another upload of it is in progress");
    }

    private void Leave(string target)
    {
        lock (_lock)
        {
            var (gate, users) = _targets[target];
            if (users == 1)
            {
                _targets.Remove(target);
                gate.Dispose();
            }
            else
            {
                _targets[target] = (gate, users - 1);
            }
        }
    }
}
