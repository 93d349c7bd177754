using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sockit.Server.Hosting.Transport;

namespace Sockit.Server.Hosting;

/// <summary>
/// Gives memory back to the system once a burst is over. The GC shrinks its heap only when it runs, and an idle server
/// allocates nothing, so without a nudge the peak of a burst stays resident for as long as the server stays quiet.
/// Every <see cref="CheckInterval"/> this looks at how much was allocated since the last look; when the server has gone
/// quiet after growing, it renews the socket buffer pool and runs a compacting collection that also decommits the freed
/// memory, once at once and once more after <see cref="SecondTrimAfter"/>.
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>How often the allocation rate is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Allocations below this per interval count as idle.</summary>
    public const long IdleAllocationBytes = 1024 * 1024;

    /// <summary>
    /// When the second trim of an idle period runs. The shared array pool lets go of arrays unused for a minute at the
    /// next full collection, so a second trim past that returns what the first could not.
    /// </summary>
    public static readonly TimeSpan SecondTrimAfter = TimeSpan.FromSeconds(65);

    private const int TrimsPerIdlePeriod = 2;

    /// <summary>A heap smaller than this is left alone: trimming it would gain little.</summary>
    public const long TrimAboveBytes = 32 * 1024 * 1024;

    private readonly TimeProvider _clock;
    private readonly SocketListenerFactory _transport;
    private readonly ILogger _logger;

    public IdleMemoryTrimmer(TimeProvider clock, SocketListenerFactory transport, ILogger<IdleMemoryTrimmer> logger)
    {
        _clock = clock;
        _transport = transport;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, _clock);
        long lastAllocated = GC.GetTotalAllocatedBytes();
        long? idleSince = null;
        int trimsThisIdle = TrimsPerIdlePeriod;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long allocated = GC.GetTotalAllocatedBytes();
                bool idle = allocated - lastAllocated < IdleAllocationBytes;
                lastAllocated = allocated;
                if (!idle)
                {
                    idleSince = null;
                    trimsThisIdle = 0;
                    continue;
                }

                idleSince ??= _clock.GetTimestamp();
                if (trimsThisIdle >= TrimsPerIdlePeriod
                    || (trimsThisIdle == 1 && _clock.GetElapsedTime(idleSince.Value) < SecondTrimAfter)
                    || GC.GetGCMemoryInfo().TotalCommittedBytes < TrimAboveBytes)
                {
                    continue;
                }

                Trim();
                trimsThisIdle++;
                lastAllocated = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Trim()
    {
        long before = GC.GetGCMemoryInfo().TotalCommittedBytes;

        // The socket buffers a burst filled stay pooled until their pool goes; then the collection frees them.
        int holding = _transport.RenewBufferPool();

        // Aggressive: compact every generation and decommit what is free, which a normal collection keeps.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trimmed(_logger, before / (1024 * 1024), GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024), holding);
    }

    [LoggerMessage(1406, LogLevel.Debug, "Idle after a burst: trimmed the managed heap from {BeforeMib} MiB to {AfterMib} MiB committed ({Holding} connections still hold the previous buffer pool)")]
    private static partial void Trimmed(ILogger logger, long beforeMib, long afterMib, int holding);
}
