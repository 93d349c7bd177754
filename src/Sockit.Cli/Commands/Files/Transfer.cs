using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Uploads and downloads as <c>put</c>, <c>get</c> and <c>sockit ftp</c> run them: plan, transfer several files at
/// once with progress, a line per failure and a closing line. Ctrl+C leaves partial files, which the same command
/// resumes, and says so.
/// </summary>
internal static class Transfer
{
    /// <summary>What an interrupted transfer says: the partial files stay, and running it again resumes them.</summary>
    public const string InterruptedLine = "sockit: interrupted: run the same command again to resume";

    /// <summary>Uploads <paramref name="sources"/> to <paramref name="destination"/> (see <see cref="PutPlanner"/>).</summary>
    public static async Task<ExitCode> PutAsync(
        CliContext context, SockitClient client, IReadOnlyList<string> sources, string? destination, TransferChoices choices,
        string localFolder, string remoteFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return await RunAsync(
            context,
            "put",
            TransferRunner.UploadConcurrency,
            choices,
            token => PutPlanner.PlanAsync(client, sources, destination, choices.Recursive, localFolder, remoteFolder, token),
            (folder, token) => client.CreateFolderAsync(folder, parents: true, token),
            (item, progress, token) => client.UploadFileAsync(item.Source, item.Target, Options(choices, progress), token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads <paramref name="sources"/> to <paramref name="destination"/> (see <see cref="GetPlanner"/>).</summary>
    public static async Task<ExitCode> GetAsync(
        CliContext context, SockitClient client, IReadOnlyList<string> sources, string? destination, TransferChoices choices,
        string localFolder, string remoteFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return await RunAsync(
            context,
            "get",
            TransferRunner.DownloadConcurrency,
            choices,
            token => GetPlanner.PlanAsync(client, sources, destination, choices.Recursive, localFolder, remoteFolder, token),
            (folder, _) =>
            {
                Directory.CreateDirectory(folder);
                return Task.CompletedTask;
            },
            (item, progress, token) =>
            {
                if (!choices.Overwrite && File.Exists(item.Target))
                {
                    throw new SockitException(SockitErrorCode.AlreadyExists, $"{item.Target} exists; -f overwrites it");
                }

                return client.DownloadFileAsync(item.Source, item.Target, Options(choices, progress), token);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static FileTransferOptions Options(TransferChoices choices, IProgress<long> progress) =>
        new() { Overwrite = choices.Overwrite, Restart = choices.Restart, Progress = progress };

    private static async Task<ExitCode> RunAsync(
        CliContext context,
        string verb,
        int concurrency,
        TransferChoices choices,
        Func<CancellationToken, Task<TransferPlan>> plan,
        Func<string, CancellationToken, Task> createFolder,
        Func<TransferItem, IProgress<long>, CancellationToken, Task> transfer,
        CancellationToken cancellationToken)
    {
        var planned = await plan(cancellationToken).ConfigureAwait(false);
        var display = TransferDisplay.Create(context, verb, choices.Quiet);
        TransferSummary summary;
        try
        {
            summary = await TransferRunner.RunAsync(verb, planned, concurrency, createFolder, transfer, display, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync(InterruptedLine).ConfigureAwait(false);
            return ExitCode.Cancelled;
        }

        if (!choices.Quiet || summary.Failed > 0)
        {
            await context.Error.WriteLineAsync(summary.Describe()).ConfigureAwait(false);
        }

        return summary.FirstFailure;
    }
}
