using System.Diagnostics;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Runs the files of a <see cref="TransferPlan"/> several at a time on one connection, so that many small files do not
/// each wait a round trip. A file that fails gets its line and the others go on; the summary says how many failed.
/// </summary>
internal static class TransferRunner
{
    /// <summary>
    /// How many uploads are in flight at once: the server's default limit of requests in flight (32), so every slot it
    /// offers is kept busy with small files. A server that offers fewer is not overrun: the client library holds what
    /// goes past its <c>max_in_flight</c> until a slot frees. An upload holds at most one small file (1 MiB) or one read
    /// of a large one in memory.
    /// </summary>
    public const int UploadConcurrency = 32;

    /// <summary>
    /// How many downloads are in flight at once. Each may have its whole window (4 MiB) on its way to this process
    /// before its file takes it, so fewer than uploads: that bounds what a slow local disk can make the client hold.
    /// </summary>
    public const int DownloadConcurrency = 16;

    /// <summary>
    /// Creates the plan's folders with <paramref name="createFolder"/>, then transfers its files with
    /// <paramref name="transfer"/>, <paramref name="concurrency"/> at a time, showing progress on
    /// <paramref name="display"/>. Cancellation (Ctrl+C) is thrown.
    /// </summary>
    public static async Task<TransferSummary> RunAsync(
        string verb,
        TransferPlan plan,
        int concurrency,
        Func<string, CancellationToken, Task> createFolder,
        Func<TransferItem, IProgress<long>, CancellationToken, Task> transfer,
        TransferDisplay display,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(display);
        var clock = Stopwatch.StartNew();
        var failures = new TransferFailures();
        foreach (var skipped in plan.Skipped)
        {
            display.WriteLine(skipped);
        }

        foreach (var (label, problem) in plan.Problems)
        {
            failures.Add(display, label, problem);
        }

        var failedFolders = await CreateFoldersAsync(plan, concurrency, createFolder, display, failures, cancellationToken).ConfigureAwait(false);
        int done = 0;
        long bytes = 0;
        if (plan.Files.Count == 0)
        {
            // Nothing to show progress of: an empty bar would stay on the screen.
            return new TransferSummary(verb, done, failures.Count, bytes, clock.Elapsed, failures.First);
        }

        await display.RunAsync(plan, async () =>
        {
            await Parallel.ForEachAsync(
                plan.Files,
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (item, token) =>
                {
                    if (failedFolders.Any(folder => IsInside(item.Target, folder)))
                    {
                        // Its folder could not be made, and said so once: a line for each of its files would only bury that.
                        failures.Add(display, null, null);
                        return;
                    }

                    var progress = display.Start(item);
                    try
                    {
                        await TransferWhenServerHasRoomAsync(transfer, item, progress, token).ConfigureAwait(false);
                        display.Finish(item, succeeded: true);
                        Interlocked.Increment(ref done);
                        Interlocked.Add(ref bytes, item.Size);
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested)
                    {
                        display.Finish(item, succeeded: false);
                        failures.Add(display, item.Label, ex);
                    }
                }).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        return new TransferSummary(verb, done, failures.Count, bytes, clock.Elapsed, failures.First);
    }

    /// <summary>
    /// Runs one transfer, trying again while the server answers <c>server_busy</c>: it refuses a transfer past its
    /// limits (per user, server-wide) before anything of it is written, so the file simply waits for a slot, as it
    /// would in a queue, instead of failing while this same command holds the slots. Gives up after
    /// <see cref="BusyPatience"/>.
    /// </summary>
    private static async Task TransferWhenServerHasRoomAsync(
        Func<TransferItem, IProgress<long>, CancellationToken, Task> transfer, TransferItem item, IProgress<long> progress, CancellationToken token)
    {
        var waited = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                await transfer(item, progress, token).ConfigureAwait(false);
                return;
            }
            catch (SockitException ex) when (ex.Code == SockitErrorCode.ServerBusy && waited.Elapsed < BusyPatience)
            {
                await Task.Delay(pause, token).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxBusyPause.Ticks));
            }
        }
    }

    /// <summary>How long a file waits for a busy server before it counts as failed.</summary>
    public static readonly TimeSpan BusyPatience = TimeSpan.FromMinutes(2);

    // Short, since a slot the waiting files could take is idle until one of them looks again; a refusal costs the
    // server little.
    private static readonly TimeSpan MaxBusyPause = TimeSpan.FromMilliseconds(250);

    /// <summary>Creates folders a level at a time (a level's folders at once); returns the prefixes of those that failed.</summary>
    private static async Task<List<string>> CreateFoldersAsync(
        TransferPlan plan, int concurrency, Func<string, CancellationToken, Task> createFolder, TransferDisplay display, TransferFailures failures, CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        foreach (var level in plan.Folders.GroupBy(Depth).OrderBy(group => group.Key))
        {
            var pending = level.Where(folder => !failed.Any(parent => IsInside(folder, parent))).ToList();
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (folder, token) =>
                {
                    try
                    {
                        await createFolder(folder, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested)
                    {
                        failures.Add(display, folder, ex);
                        lock (failed)
                        {
                            failed.Add(folder);
                        }
                    }
                }).ConfigureAwait(false);
        }

        return failed;
    }

    /// <summary>Whether <paramref name="path"/> is below <paramref name="folder"/> (remote or local separators).</summary>
    private static bool IsInside(string path, string folder) =>
        path.Length > folder.Length
        && path.StartsWith(folder, StringComparison.Ordinal)
        && (path[folder.Length] == '/' || path[folder.Length] == Path.DirectorySeparatorChar || folder.EndsWith('/'));

    private static int Depth(string folder) =>
        folder.Count(c => c == '/' || c == Path.DirectorySeparatorChar);
}
