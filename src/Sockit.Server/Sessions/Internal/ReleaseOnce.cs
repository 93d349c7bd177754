namespace Sockit.Server.Sessions.Internal;

/// <summary>
/// A hold on something counted or locked (a command's slot, an upload's target) that lets go when disposed; disposing
/// it again does nothing, so a caller may dispose early and still leave a <c>using</c> in place.
/// </summary>
internal sealed class ReleaseOnce(Action release) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
