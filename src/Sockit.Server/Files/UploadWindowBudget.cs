namespace Sockit.Server.Files;

/// <summary>
/// Bytes of input that all streamed uploads together may have on their way at once beyond a connection's own input
/// window. An upload that finds the budget spent keeps the connection's window: slower (more grants), never refused.
/// </summary>
internal sealed class UploadWindowBudget(long bytes)
{
    private long _left = bytes;

    /// <summary>Takes <paramref name="window"/> bytes if they are left; <see langword="false"/> leaves the budget as it was.</summary>
    public bool TryTake(int window)
    {
        long left = Volatile.Read(ref _left);
        while (left >= window)
        {
            long seen = Interlocked.CompareExchange(ref _left, left - window, left);
            if (seen == left)
            {
                return true;
            }

            left = seen;
        }

        return false;
    }

    /// <summary>Gives back what <see cref="TryTake"/> took.</summary>
    public void Return(int window) => Interlocked.Add(ref _left, window);
}
