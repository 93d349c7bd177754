using System.Security.Cryptography;
using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.Client.Files;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// Transfers cut short again and again — the server killed with SIGKILL, the client cancelling (Ctrl+C) or going away
/// in the middle — and run again: each run resumes, and no file under its final name is ever incomplete or wrong.
/// </summary>
public sealed class KillAndResumeTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "alice password";
    private const int FileLength = 12 * 1024 * 1024;

    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("sockit-kill-");
    private SockitProcess? _server;

    private string DataRoot => Path.Combine(_state.FullName, "homes");

    private string Home => Path.Combine(DataRoot, User);

    public async Task InitializeAsync()
    {
        new UserStore(Path.Combine(_state.FullName, "users.json")).Add(User, Password, Permissions.Files);
        await StartServerAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _state.Delete(recursive: true);
    }

    [Fact]
    public async Task Uploads_and_downloads_cut_at_random_points_resume_and_are_never_wrong_under_their_name()
    {
        var random = new Random(20261130);
        var sources = Enumerable.Range(0, 3).Select(i => MakeSource($"source{i}.bin", i)).ToList();
        int target = 0, cuts = 0, completed = 0;
        while (target < sources.Count)
        {
            var (path, sha256) = sources[target];
            var remote = $"/file{target}.bin";
            long cutAt = random.NextInt64(1, FileLength - 1);
            var how = (Cut)(cuts % 3);
            bool done = await TryUploadAsync(path, remote, cutAt, how);
            cuts += done ? 0 : 1;
            AssertNeverWrong(Path.Combine(Home, remote.TrimStart('/')), sha256);
            if (done)
            {
                completed++;
                target++;
            }
        }

        Assert.True(cuts >= 15, $"only {cuts} uploads were cut");
        Assert.Equal(3, completed);

        var back = Path.Combine(_state.FullName, "back.bin");
        var (_, expected) = sources[0];
        bool downloaded = false;
        for (int round = 0; !downloaded; round++)
        {
            downloaded = await TryDownloadAsync("/file0.bin", back, random.NextInt64(1, FileLength - 1), (Cut)(round % 3));
            cuts += downloaded ? 0 : 1;
            AssertNeverWrong(back, expected);
        }

        Assert.True(cuts >= 20, $"only {cuts} transfers were cut");
        Assert.Equal(expected, Sha256Of(back));
    }

    private enum Cut
    {
        KillServer,
        CancelClient,
        DropConnection,
    }

    private async Task<bool> TryUploadAsync(string source, string remote, long cutAt, Cut how)
    {
        var client = await ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new CutAt(cutAt, () => CutNow(how, client, cancel));
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

    private async Task<bool> TryDownloadAsync(string remote, string local, long cutAt, Cut how)
    {
        var client = await ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new CutAt(cutAt, () => CutNow(how, client, cancel));
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
                _server!.Signal(SockitProcess.SigKill);
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
            await _server!.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await _server.DisposeAsync();
            await StartServerAsync();
        }
    }

    private async Task StartServerAsync() => _server = await SockitProcess.ServeAsync(
    [
        "--listen", "framed=tcp://127.0.0.1:0",
        "--set", $"Sockit:Auth:UsersFile={Path.Combine(_state.FullName, "users.json")}",
        "--set", "Sockit:Auth:LocalLogin=false",
        "--set", $"Sockit:Files:DataRoot={DataRoot}",
    ]);

    private Task<SockitClient> ConnectAsync() => SockitClient.ConnectAsync(
        _server!.Endpoint("Framed", AddressScheme.Tcp),
        new SockitClientOptions { Credentials = SockitCredentials.FromPassword(User, Password) });

    private (string Path, string Sha256) MakeSource(string name, int seed)
    {
        var data = new byte[FileLength];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(_state.FullName, name);
        File.WriteAllBytes(path, data);
        return (path, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    private static void AssertNeverWrong(string path, string sha256)
    {
        if (File.Exists(path))
        {
            Assert.Equal(sha256, Sha256Of(path));
        }
    }

    private static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Cuts the transfer, once, as soon as it reports <paramref name="at"/> bytes done.</summary>
    private sealed class CutAt(long at, Action cut) : IProgress<long>
    {
        public bool Fired { get; private set; }

        public void Report(long value)
        {
            if (!Fired && value >= at)
            {
                Fired = true;
                cut();
            }
        }
    }
}
