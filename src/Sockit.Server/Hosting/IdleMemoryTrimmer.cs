using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sockit.Server.Hosting;

/// <summary>
/// Gives memory back to the system once a burst is over. The GC shrinks its heap only when it runs, and an idle server
/// allocates nothing, so without a nudge the peak of a burst stays resident for as long as the server stays quiet.
/// Every <see cref="CheckInterval"/> this looks at how much was allocated since the last look; when the server has gone
/// quiet after growing, it runs one compacting collection that also decommits the freed memory.
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>How often the allocation rate is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>Allocations below this per interval count as idle.</summary>
    public const long IdleAllocationBytes = 1024 * 1024;

    /// <summary>A heap smaller than this is left alone: trimming it would gain little.</summary>
    public const long TrimAboveBytes = 32 * 1024 * 1024;

    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public IdleMemoryTrimmer(TimeProvider clock, ILogger<IdleMemoryTrimmer> logger)
    {
        _clock = clock;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, _clock);
        long lastAllocated = GC.GetTotalAllocatedBytes();
        bool busySinceTrim = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long allocated = GC.GetTotalAllocatedBytes();
                bool idle = allocated - lastAllocated < IdleAllocationBytes;
                lastAllocated = allocated;
                if (!idle)
                {
                    busySinceTrim = true;
                    continue;
                }

                long committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (!busySinceTrim || committed < TrimAboveBytes)
                {
                    continue;
                }

                // Aggressive: compact every generation and decommit what is free, which a normal collection keeps.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                busySinceTrim = false;
                lastAllocated = GC.GetTotalAllocatedBytes();
                Trimmed(_logger, committed / (1024 * 1024), GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(1406, LogLevel.Debug, "Idle after a burst: trimmed the managed heap from {BeforeMib} MiB to {AfterMib} MiB committed")]
    private static partial void Trimmed(ILogger logger, long beforeMib, long afterMib);
}
