using System.Diagnostics;
using System.Security.Cryptography;
using Sockit.Client;
using Sockit.Client.Files;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// Transfers cut short again and again, and run again: through the library, with the server killed (SIGKILL), the
/// client cancelling (Ctrl+C) or its connection going; and as the <c>sockit</c> command, with the <c>put</c> or
/// <c>get</c> process or the <c>sockit serve</c> process killed with SIGKILL. Each run resumes what the last one left,
/// and no file under its final name is ever incomplete or wrong.
/// </summary>
/// <remarks>
/// Where to cut is drawn from a seeded <see cref="Random"/> (failure messages name the seed) within what is left from
/// where the run resumes, so that every cut run moves the transfer on; and after a few cuts a transfer runs to its
/// end. A cut drawn over the whole file would, once the partial has passed it, stop each run before its first byte,
/// and a transfer cut on every run could never finish.
/// </remarks>
public sealed class KillAndResumeTests : IAsyncLifetime
{
    // A few MiB, streamed (over 1 MiB), not a whole number of 64 KiB parts, and longer than a download's window (see
    // KillUntilDoneAsync).
    private const int FileLength = (8 * 1024 * 1024) + 4321;

    // How many cut runs a transfer of the library test gets before one runs through.
    private const int LibraryCutsPerTransfer = 4;

    // SIGKILLs that cut a run short in the process tests, at least 20 in all: a killed server costs a restart, so the
    // clients take more of them.
    private const int ClientKills = 12;
    private const int ServerKills = 8;

    // A process killed by a signal exits with 128 + the signal.
    private const int KilledExitCode = 128 + SockitProcess.SigKill;

    // What a client says when its server died under it: the connection closed (between frames), or the protocol error
    // truncated_frame (inside one, as protocol.md says a client reports a reply cut short).
    private const int ConnectionLostExitCode = 9;
    private const int ProtocolErrorExitCode = 7;

    // ExitCode.ServerError, for already_exists.
    private const int ServerErrorExitCode = 6;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    // How far a server sends ahead of what a get has written: the sockit command downloads with the default window.
    private static readonly int DownloadWindow = new FileTransferOptions().Window;

    private KillableFilesServer _server = null!;

    private enum Cut
    {
        KillServer,
        CancelClient,
        DropConnection,
    }

    private enum Victim
    {
        Client,
        Server,
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

    [Fact]
    public async Task Put_and_get_processes_killed_with_SIGKILL_resume_when_run_again_and_are_never_wrong_under_their_name()
    {
        await KillProcessesAsync(seed: 1130, Victim.Client, ClientKills);
    }

    [Fact]
    public async Task A_server_killed_with_SIGKILL_under_put_and_get_is_resumed_by_running_them_again_and_nothing_is_wrong_under_its_name()
    {
        await KillProcessesAsync(seed: 2026, Victim.Server, ServerKills);
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

    /// <summary>
    /// Puts files up and gets them back with the <c>sockit</c> command, killing <paramref name="victim"/> with SIGKILL
    /// in the middle of runs until that has cut <paramref name="wanted"/> runs short.
    /// </summary>
    private async Task KillProcessesAsync(int seed, Victim victim, int wanted)
    {
        var random = new Random(seed);
        int kills = 0;
        for (int i = 0; kills < wanted; i++)
        {
            Assert.True(i < wanted, $"only {kills} kills of the {victim} in {i} files (seed {seed})");
            var (source, sha256) = MakeSource($"source{i}.bin", random);
            kills += await KillUntilDoneAsync(seed, random, victim, ["put", "-q", source, $"/file{i}.bin"], Path.Combine(_server.Home, $"file{i}.bin"), sha256);
            var back = Path.Combine(_server.Local, $"back{i}.bin");
            kills += await KillUntilDoneAsync(seed, random, victim, ["get", "-q", $"/file{i}.bin", back], back, sha256);
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> until <paramref name="final"/> is there: the first runs have <paramref name="victim"/>
    /// killed once the partial file holds a random number of bytes more than it did, then one runs through. Returns
    /// how many runs were killed.
    /// </summary>
    private async Task<int> KillUntilDoneAsync(int seed, Random random, Victim victim, string[] command, string final, string sha256)
    {
        var partial = PartialFile.For(final);
        int planned = random.Next(2, 4);

        // A server killed under a get may have sent a window more than the partial holds; only a kill before the last
        // window has gone leaves the run something to lose.
        long reach = victim == Victim.Server && command[0] == "get" ? FileLength - DownloadWindow : FileLength;
        int kills = 0;
        for (int run = 0; !File.Exists(final); run++)
        {
            var what = $"sockit {string.Join(' ', command)}, run {run} (seed {seed})";
            Assert.True(run <= planned + 2, $"{what}: still not done");
            long from = LengthOf(partial);
            long? killAt = kills < planned && from + 1 < reach ? from + 1 + (long)(random.NextDouble() * (reach - from - 1)) : null;
            var (exitCode, error, killed) = await RunAsync(command, partial, final, sha256, killAt, victim, what);
            AssertNeverWrong(final, sha256, $"{what}, killed: {killed}");
            if (killed)
            {
                kills++;
                bool expected = victim == Victim.Client
                    ? exitCode == KilledExitCode
                    : exitCode == ConnectionLostExitCode || (exitCode == ProtocolErrorExitCode && error.Contains("(truncated_frame)", StringComparison.Ordinal));
                Assert.True(expected, $"{what}: exit code {exitCode} after the {victim} was killed: {error}");
            }
            else if (exitCode != 0)
            {
                // A put killed after its last byte had left: the server finished the upload once its client was gone,
                // after this run had looked for the file. That is what a user who runs the same put again is told too.
                bool finishedMeanwhile = run > 0 && command[0] == "put" && exitCode == ServerErrorExitCode
                    && error.Contains("(already_exists)", StringComparison.Ordinal) && File.Exists(final);
                Assert.True(finishedMeanwhile, $"{what}: exit code {exitCode}: {error}");
            }
        }

        Assert.False(File.Exists(partial), $"{partial} is left after {string.Join(' ', command)} (seed {seed})");
        return kills;
    }

    /// <summary>
    /// Runs <c>sockit</c> with <paramref name="command"/>, killing <paramref name="victim"/> once
    /// <paramref name="partial"/> holds <paramref name="killAt"/> bytes (if the run gets there). Returns whether the
    /// kill cut the run short (a run whose last reply had already come succeeds all the same).
    /// </summary>
    private async Task<(int ExitCode, string Error, bool Killed)> RunAsync(
        string[] command, string partial, string final, string sha256, long? killAt, Victim victim, string what)
    {
        using var process = Process.Start(SockitProcess.StartInfo(command, _server.ClientEnvironment))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        bool serverKilled = false;
        if (killAt is { } at)
        {
            // The partial's length is the transfer's progress as it reaches the disk; each look lets at most a few
            // milliseconds of the transfer through, so the kill lands at the drawn point or a little after it.
            bool finalChecked = false;
            while (!exited.IsCompleted && LengthOf(partial) < at)
            {
                if (!finalChecked && File.Exists(final))
                {
                    AssertNeverWrong(final, sha256, $"{what}, while it ran");
                    finalChecked = true;
                }

                await Task.WhenAny(exited, Task.Delay(1));
            }

            if (!exited.IsCompleted)
            {
                if (victim == Victim.Client)
                {
                    // SIGKILL; nothing if the process has just ended by itself.
                    process.Kill();
                }
                else
                {
                    _server.Kill();
                    serverKilled = true;
                }
            }
        }

        try
        {
            await exited;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{what}: still running after {RunTimeout.TotalSeconds} s; standard error so far is lost");
        }

        await output;
        var errorText = await error;
        if (serverKilled)
        {
            await _server.RestartAsync();
        }

        return (process.ExitCode, errorText, serverKilled ? process.ExitCode != 0 : process.ExitCode == KilledExitCode);
    }

    private (string Path, string Sha256) MakeSource(string name, Random random)
    {
        var data = new byte[FileLength];
        random.NextBytes(data);
        var path = Path.Combine(_server.Local, name);
        File.WriteAllBytes(path, data);
        return (path, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    private static long LengthOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
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
