using System.Security.Cryptography;
using Sockit.Client;
using Sockit.Client.Files;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// Transfers cut short again and again, and run again: through the library, with the server killed (SIGKILL), the
/// client cancelling (Ctrl+C) or its connection going. Each run resumes what the last one left, and no file under its
/// final name is ever incomplete or wrong.
/// </summary>
/// <remarks>
/// Where to cut is drawn from a seeded <see cref="Random"/> (failure messages name the seed) within what is left from
/// where the run resumes, so that every cut run moves the transfer on; and after a few cuts a transfer runs to its
/// end. A cut drawn over the whole file would, once the partial has passed it, stop each run before its first byte,
/// and a transfer cut on every run could never finish.
/// </remarks>
public sealed class KillAndResumeTests : IAsyncLifetime
{
    // A few MiB, streamed (over 1 MiB), and not a whole number of 64 KiB parts.
    private const int FileLength = (8 * 1024 * 1024) + 4321;

    // How many cut runs a transfer of the library test gets before one runs through.
    private const int LibraryCutsPerTransfer = 4;

    private KillableFilesServer _server = null!;

    private enum Cut
    {
        KillServer,
        CancelClient,
        DropConnection,
    }

    public async Task InitializeAsync() => _server = await KillableFilesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Library_transfers_cut_by_a_killed_server_a_cancel_or_a_dropped_connection_resume_and_are_never_wrong_under_their_name()
    {
        const int seed = 20261130;
        var random = new Random(seed);
        var sources = new List<(string Path, string Sha256)>();
        int cuts = 0;
        for (int i = 0; i < 2; i++)
        {
            var (source, sha256) = MakeSource($"source{i}.bin", random);
            sources.Add((source, sha256));
            var remote = $"/file{i}.bin";
            cuts = await CutUntilDoneAsync(
                seed, random, cuts, Path.Combine(_server.Home, $"file{i}.bin"), sha256, (at, how) => TryUploadAsync(source, remote, at, how));
        }

        var back = Path.Combine(_server.Local, "back.bin");
        cuts = await CutUntilDoneAsync(seed, random, cuts, back, sources[0].Sha256, (at, how) => TryDownloadAsync("/file0.bin", back, at, how));

        // Three transfers with their planned cuts; a cut that lands after a transfer's last reply does not stop it.
        Assert.True(cuts >= (3 * LibraryCutsPerTransfer) - 3, $"only {cuts} runs were cut (seed {seed})");
    }

    /// <summary>
    /// Runs one transfer of the library test until it is done: the first runs are cut, each at a random point of what
    /// is left and by the next way of cutting in turn, then one runs through. Returns <paramref name="cuts"/> plus the
    /// runs cut here.
    /// </summary>
    private static async Task<int> CutUntilDoneAsync(
        int seed, Random random, int cuts, string final, string sha256, Func<double?, Cut, Task<bool>> run)
    {
        for (int runs = 0; ; runs++)
        {
            Assert.True(runs <= LibraryCutsPerTransfer + 2, $"{final} was not done after {runs} runs (seed {seed})");
            double? at = runs < LibraryCutsPerTransfer ? random.NextDouble() : null;
            var how = (Cut)(cuts % 3);
            bool done = await run(at, how);
            AssertNeverWrong(final, sha256, $"{final} after a run cut by {how} (seed {seed})");
            if (done)
            {
                Assert.True(File.Exists(final), $"{final} is not there after a run that succeeded (seed {seed})");
                return cuts;
            }

            cuts++;
        }
    }

    private async Task<bool> TryUploadAsync(string source, string remote, double? at, Cut how)
    {
        var client = await _server.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new CutAt(at, () => CutNow(how, client, cancel));
        try
        {
            await client.UploadFileAsync(source, remote, new FileTransferOptions { Progress = progress }, cancel.Token);
            return true;
        }
        catch (SockitRemoteException ex) when (ex.Code == SockitErrorCode.AlreadyExists)
        {
            // The cut came after the last byte had left: the server finished the upload (and the caller checks it).
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SockitException or ObjectDisposedException && progress.Fired)
        {
            return false;
        }
        finally
        {
            await AfterAsync(client, progress.Fired && how == Cut.KillServer);
        }
    }

    private async Task<bool> TryDownloadAsync(string remote, string local, double? at, Cut how)
    {
        var client = await _server.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new CutAt(at, () => CutNow(how, client, cancel));
        try
        {
            await client.DownloadFileAsync(remote, local, new FileTransferOptions { Progress = progress }, cancel.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SockitException or IOException or ObjectDisposedException && progress.Fired)
        {
            return false;
        }
        finally
        {
            await AfterAsync(client, progress.Fired && how == Cut.KillServer);
        }
    }

    private void CutNow(Cut how, SockitClient client, CancellationTokenSource cancel)
    {
        switch (how)
        {
            case Cut.KillServer:
                _server.Kill();
                break;
            case Cut.CancelClient:
                cancel.Cancel();
                break;
            default:
                // As a client killed in the middle: its connection just goes.
                _ = client.DisposeAsync().AsTask();
                cancel.Cancel();
                break;
        }
    }

    private async Task AfterAsync(SockitClient client, bool serverKilled)
    {
        await client.DisposeAsync();
        if (serverKilled)
        {
            await _server.RestartAsync();
        }
    }

    private (string Path, string Sha256) MakeSource(string name, Random random)
    {
        var data = new byte[FileLength];
        random.NextBytes(data);
        var path = Path.Combine(_server.Local, name);
        File.WriteAllBytes(path, data);
        return (path, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    private static void AssertNeverWrong(string path, string sha256, string what)
    {
        if (File.Exists(path))
        {
            Assert.True(UnlockedFile.Sha256(path) == sha256, $"{path} is there with other bytes than its source's: {what}");
        }
    }

    /// <summary>
    /// Cuts the transfer, once, when it has done the fraction <paramref name="at"/> of what was left where it resumed
    /// (its first report), and at least one byte more; never with <see langword="null"/>.
    /// </summary>
    private sealed class CutAt(double? at, Action cut) : IProgress<long>
    {
        private long _from = -1;

        public bool Fired { get; private set; }

        public void Report(long value)
        {
            if (_from < 0)
            {
                _from = value;
            }

            if (!Fired && at is { } fraction && _from < FileLength && value > _from + (long)(fraction * (FileLength - _from - 1)))
            {
                Fired = true;
                cut();
            }
        }
    }
}
