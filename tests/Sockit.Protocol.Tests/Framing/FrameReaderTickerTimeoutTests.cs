using Sockit.Protocol.Framing;

namespace Sockit.Protocol.Tests.Framing;

/// <summary>Every timeout test again, with the deadlines enforced by a shared ticker as the server does.</summary>
public sealed class FrameReaderTickerTimeoutTests : FrameReaderTimeoutTests, IDisposable
{
    private readonly FrameDeadlines _deadlines = new(TimeSpan.FromMilliseconds(10));

    protected override FrameDeadlines? Deadlines => _deadlines;

    public void Dispose() => _deadlines.Dispose();
}
