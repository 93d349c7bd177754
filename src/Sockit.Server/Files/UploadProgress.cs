namespace Sockit.Server.Files;

/// <summary>How far an upload has written, counted in its user's usage as it grows (for the quota).</summary>
internal sealed class UploadProgress(QuotaReservation reservation, long start)
{
    /// <summary>The partial file's length so far.</summary>
    public long Position { get; private set; } = start;

    /// <summary>Counts <paramref name="bytes"/> more.</summary>
    public void Add(long bytes)
    {
        Position += bytes;
        reservation.Settle(bytes);
    }
}
