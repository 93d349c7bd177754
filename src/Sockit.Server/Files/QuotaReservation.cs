namespace Sockit.Server.Files;

/// <summary>
/// The room one upload was let in for (<see cref="FileService.Reserve"/>) and has not written yet. Each write moves its
/// bytes from here to the user's usage; disposing gives back the rest, so an upload that is refused, fails, is cancelled
/// or loses its connection holds nothing once it has ended.
/// </summary>
/// <remarks>Used by one upload at a time, in order: it takes no lock of its own.</remarks>
internal sealed class QuotaReservation(FileService files, string user, long bytes) : IDisposable
{
    private long _left = bytes;

    /// <summary>Counts <paramref name="written"/> bytes just written as used, out of the room set aside.</summary>
    public void Settle(long written)
    {
        long covered = Math.Clamp(written, 0, _left);
        _left -= covered;
        files.Settle(user, covered, written);
    }

    /// <summary>Gives back what was set aside and not written. Disposing again does nothing.</summary>
    public void Dispose()
    {
        long left = _left;
        _left = 0;
        files.Release(user, left);
    }
}
