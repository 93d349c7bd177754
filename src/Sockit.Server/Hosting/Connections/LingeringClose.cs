using System.IO.Pipelines;

namespace Sockit.Server.Hosting.Connections;

/// <summary>
/// Reads and discards what a client is still sending before its connection closes. Closing a socket with
/// unread input makes the kernel answer with a reset, and a reset can destroy the last frame the server
/// sent (the error saying why it closes) before the client reads it.
/// </summary>
internal static class LingeringClose
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(2);
    private const long MostBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Drains <paramref name="input"/> while data keeps arriving: stops at its end, after a short silence,
    /// after <see cref="Longest"/> or <see cref="MostBytes"/>. Never throws.
    /// </summary>
    public static async Task DrainAsync(PipeReader input)
    {
        using var overall = new CancellationTokenSource(Longest);
        long drained = 0;
        try
        {
            while (drained < MostBytes)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
                quiet.CancelAfter(Silence);
                var result = await input.ReadAsync(quiet.Token).ConfigureAwait(false);
                drained += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException || ConnectionFailures.IsAbruptDisconnect(ex))
        {
            // Silence, the time limit, or a client already gone: all mean the drain is over.
        }
    }
}
