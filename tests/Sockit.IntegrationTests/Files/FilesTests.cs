using Sockit.Client;
using Sockit.Client.Files;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Files;

namespace Sockit.IntegrationTests.Files;

/// <summary>The file service through the client library: folders, transfers, resume, quota and the home's walls.</summary>
public sealed class FilesTests
{
    private static async Task<List<FileEntry>> ListAsync(SockitClient client, string path)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in client.ListAsync(path))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task Folders_are_made_listed_moved_and_removed()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();

        await client.CreateFolderAsync("/a/b/c", parents: true);
        await client.UploadFileAsync(server.MakeFile("x.bin", 10), "/a/x.bin");
        await client.MoveAsync("/a/x.bin", "/a/b/y.bin");

        Assert.Equal(["b"], (await ListAsync(client, "/a")).Select(e => e.Name));
        var listed = await ListAsync(client, "a/b");
        Assert.Equal([("c", "folder"), ("y.bin", "file")], listed.Select(e => (e.Name, e.Type)));
        Assert.Equal(10, (await client.StatAsync("/a/b/y.bin")).Size);
        var notEmpty = await Assert.ThrowsAsync<SockitRemoteException>(() => client.RemoveAsync("/a"));
        Assert.Equal(SockitErrorCode.IsAFolder, notEmpty.Code);
        await client.RemoveAsync("/a", recursive: true);
        Assert.Empty(await ListAsync(client, "/"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public async Task A_file_goes_up_and_comes_back_byte_for_byte(int length)
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var source = server.MakeFile("source.bin", length);

        var put = await client.UploadFileAsync(source, "/copy.bin");
        var back = Path.Combine(server.Local.FullName, "back.bin");
        var get = await client.DownloadFileAsync("/copy.bin", back);

        Assert.Equal(length, put.Size);
        Assert.Equal(put.Sha256, get.Sha256);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back));
        Assert.False(File.Exists(PartialFile.For(back)));
    }

    [Fact]
    public async Task A_pipe_a_socket_a_device_or_a_folder_is_refused_at_once_and_the_connection_goes_on()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var pipe = Path.Combine(server.Local.FullName, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var socketPath = Path.Combine(server.Local.FullName, "socket");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));

        // A pipe with no writer would hold an ordinary open for ever: the refusal must come without one. A device can
        // seek and has size 0: it would be uploaded as an empty file.
        var refused = new List<SockitException>();
        foreach (var path in new[] { pipe, socketPath, "/dev/zero", "/dev/null", server.Local.FullName })
        {
            refused.Add(await Assert.ThrowsAsync<SockitException>(() => client.UploadFileAsync(path, "/x").WaitAsync(TimeSpan.FromSeconds(10))));
        }

        Assert.All(refused, ex => Assert.Equal(SockitErrorCode.InvalidArgument, ex.Code));
        Assert.All(refused[..4], ex => Assert.Contains("is not a regular file", ex.Message, StringComparison.Ordinal));
        Assert.Contains("is a folder", refused[4].Message, StringComparison.Ordinal);
        Assert.Empty(await client.ListAsync("/").ToListAsync());
        var source = server.MakeFile("after.bin", 10);
        Assert.Equal(10, (await client.UploadFileAsync(source, "/after.bin")).Size);
    }

    [Fact]
    public async Task An_interrupted_upload_resumes_from_what_the_server_kept()
    {
        await using var server = await FilesServer.StartAsync(settings: new Dictionary<string, string?> { ["Sockit:Files:UploadWindow"] = "1048576" });
        var source = server.MakeFile("big.bin", 4 * 1024 * 1024);
        await using (var first = await server.ConnectAsync())
        {
            using var stop = new CancellationTokenSource();
            // Past 2 MiB sent, the server has taken at least 1 MiB (the upload's input window, set) and written most of it.
            var progress = new SynchronousProgress(done => { if (done >= 2 * 1024 * 1024) { stop.Cancel(); } });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.UploadFileAsync(source, "/big.bin", new FileTransferOptions { Progress = progress }, stop.Token));
        }

        await using var client = await server.ConnectAsync();
        var put = await client.UploadFileAsync(source, "/big.bin");

        Assert.InRange(put.Resumed, 1, 4 * 1024 * 1024 - 1);
        var back = Path.Combine(server.Local.FullName, "back.bin");
        await client.DownloadFileAsync("/big.bin", back);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back));
    }

    [Fact]
    public async Task A_download_resumes_from_its_partial_file()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var source = server.MakeFile("big.bin", 2 * 1024 * 1024 + 3);
        await client.UploadFileAsync(source, "/big.bin");
        var back = Path.Combine(server.Local.FullName, "back.bin");
        File.WriteAllBytes(PartialFile.For(back), File.ReadAllBytes(source).AsSpan(0, 700_000).ToArray());
        long firstReported = -1;

        await client.DownloadFileAsync("/big.bin", back, new FileTransferOptions { Progress = new SynchronousProgress(done => { if (firstReported < 0) { firstReported = done; } }) });

        Assert.Equal(700_000, firstReported);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(back));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task Disposing_the_client_from_a_progress_callback_ends_the_transfer_and_the_dispose(bool download, bool waitInCallback)
    {
        // The read loop goes on queueing a download's parts (and granting an upload's input) while the callback runs:
        // disposing must end it without the transfer's own thread, even when that thread sits waiting for the dispose.
        await using var server = await FilesServer.StartAsync();
        var source = server.MakeFile("big.bin", 8 * 1024 * 1024);
        await using (var setup = await server.ConnectAsync())
        {
            await setup.UploadFileAsync(source, "/big.bin");
        }

        var client = await server.ConnectAsync();
        Task? disposed = null;
        var progress = new SynchronousProgress(done =>
        {
            if (done >= 1024 * 1024 && disposed is null)
            {
                disposed = client.DisposeAsync().AsTask();
                if (waitInCallback)
                {
                    WaitBlocking(disposed);
                }
            }
        });
        var options = new FileTransferOptions { Progress = progress, Window = 64 * 1024 };
        var back = Path.Combine(server.Local.FullName, "back.bin");

        Task transfer = download ? client.DownloadFileAsync("/big.bin", back, options) : client.UploadFileAsync(source, "/up.bin", options);
        var failure = await Record.ExceptionAsync(() => transfer.WaitAsync(TimeSpan.FromSeconds(30)));
        await disposed!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SockitErrorCode.ConnectionClosed, Assert.IsType<SockitConnectionException>(failure).Code);
        Assert.Equal(download, File.Exists(PartialFile.For(back)));
    }

    [Theory]
    [InlineData(10, "2019-07-01T08:30:15.1234567Z")]
    [InlineData(3 * 1024 * 1024, "2019-07-01T08:30:15.1234567Z")]
    [InlineData(10, "1969-12-31T23:59:59.5Z")]
    public async Task An_uploaded_file_keeps_its_modification_time_to_the_tick(int length, string time)
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var source = server.MakeFile("a.bin", length);
        var modified = DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        File.SetLastWriteTimeUtc(source, modified);

        await client.UploadFileAsync(source, "/a.bin");

        var stored = Path.Combine(server.Server.Server.Options.Files.DataRoot!, FilesServer.User, "a.bin");
        Assert.Equal(modified, File.GetLastWriteTimeUtc(stored));
    }

    [Fact]
    public async Task A_downloaded_file_keeps_the_servers_modification_time()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var source = server.MakeFile("a.bin", 100_000);
        var modified = new DateTime(2021, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(source, modified);
        await client.UploadFileAsync(source, "/a.bin");
        var back = Path.Combine(server.Local.FullName, "back.bin");

        await client.DownloadFileAsync("/a.bin", back);

        Assert.Equal(modified, File.GetLastWriteTimeUtc(back));
    }

    [Fact]
    public async Task A_file_changed_behind_the_servers_back_is_hashed_again_even_with_its_time_put_back()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var put = await client.UploadFileAsync(server.MakeFile("a.bin", 300_000), "/a.bin");
        var stored = Path.Combine(server.Server.Server.Options.Files.DataRoot!, FilesServer.User, "a.bin");
        var mtime = File.GetLastWriteTimeUtc(stored);
        var changed = File.ReadAllBytes(stored);
        changed[150_000] ^= 0xFF;
        File.WriteAllBytes(stored, changed);
        File.SetLastWriteTimeUtc(stored, mtime);
        var back = Path.Combine(server.Local.FullName, "back.bin");

        var get = await client.DownloadFileAsync("/a.bin", back);

        Assert.NotEqual(put.Sha256, get.Sha256);
        Assert.Equal(changed, File.ReadAllBytes(back));
    }

    [Fact]
    public async Task A_resumed_download_of_a_file_the_server_has_no_hash_for_reads_the_prefix_for_it()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var bytes = File.ReadAllBytes(server.MakeFile("c.bin", 1_200_000, seed: 3));
        await client.UploadFileAsync(Path.Combine(server.Local.FullName, "c.bin"), "/c.bin");

        // A new change time: the hash the upload left no longer holds.
        File.SetLastAccessTimeUtc(Path.Combine(server.Server.Server.Options.Files.DataRoot!, FilesServer.User, "c.bin"), DateTime.UtcNow);
        var target = Path.Combine(server.Local.FullName, "c-back.bin");
        await File.WriteAllBytesAsync(PartialFile.For(target), bytes[..400_000]);
        await client.DownloadFileAsync("/c.bin", target);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task A_partial_download_of_other_bytes_is_caught_and_removed()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.UploadFileAsync(server.MakeFile("a.bin", 100_000), "/a.bin");
        var back = Path.Combine(server.Local.FullName, "back.bin");
        File.WriteAllBytes(PartialFile.For(back), new byte[50_000]);

        var mismatch = await Assert.ThrowsAsync<SockitException>(() => client.DownloadFileAsync("/a.bin", back));

        Assert.Equal(SockitErrorCode.ChecksumMismatch, mismatch.Code);
        Assert.False(File.Exists(back));
        Assert.False(File.Exists(PartialFile.For(back)));
    }

    [Fact]
    public async Task An_existing_file_is_replaced_only_when_asked()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.UploadFileAsync(server.MakeFile("one.bin", 10, seed: 1), "/f.bin");
        var two = server.MakeFile("two.bin", 20, seed: 2);

        var exists = await Assert.ThrowsAsync<SockitRemoteException>(() => client.UploadFileAsync(two, "/f.bin"));
        await client.UploadFileAsync(two, "/f.bin", new FileTransferOptions { Overwrite = true });

        Assert.Equal(SockitErrorCode.AlreadyExists, exists.Code);
        Assert.Equal(20, (await client.StatAsync("/f.bin")).Size);
    }

    [Fact]
    public async Task The_quota_refuses_an_upload_before_a_byte_is_written_and_df_shows_it()
    {
        await using var server = await FilesServer.StartAsync(quota: 100_000);
        await using var client = await server.ConnectAsync();
        await client.UploadFileAsync(server.MakeFile("small.bin", 60_000), "/small.bin");

        var over = await Assert.ThrowsAsync<SockitRemoteException>(() => client.UploadFileAsync(server.MakeFile("more.bin", 60_000, seed: 2), "/more.bin"));
        var df = await client.GetDiskUsageAsync();

        Assert.Equal(SockitErrorCode.QuotaExceeded, over.Code);
        Assert.Equal(100_000, df.Quota);
        Assert.InRange(df.Used, 60_000, 70_000);
        Assert.Equal(df.Quota - df.Used, df.Free);
        Assert.DoesNotContain(await ListAsync(client, "/"), e => e.Name == "more.bin");
    }

    [Theory]
    [InlineData("../outside.txt", "outside_home")]
    [InlineData("/a/../../outside.txt", "outside_home")]
    [InlineData("/etc/passwd", "not_found")]
    [InlineData("/bad\u0001name", "invalid_name")]
    [InlineData("/.f.bin.sockit-part", "invalid_name")]
    public async Task Paths_stay_inside_the_home(string path, string code)
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var refused = await Assert.ThrowsAsync<SockitRemoteException>(() => client.StatAsync(path));

        Assert.Equal(code, refused.Code.Value);
        Assert.Equal("still here", await client.EchoAsync("still here"));
    }

    [Fact]
    public async Task Unicode_names_round_trip_byte_for_byte_and_nfc_and_nfd_are_two_names()
    {
        await using var server = await FilesServer.StartAsync();
        await using var client = await server.ConnectAsync();
        string nfc = "caf\u00e9.txt", nfd = "cafe\u0301.txt", chinese = "文件上传.txt", emoji = "📁🚀.txt";

        foreach (var (name, seed) in new[] { (nfc, 1), (nfd, 2), (chinese, 3), (emoji, 4) })
        {
            await client.UploadFileAsync(server.MakeFile($"{seed}.bin", seed * 10, seed), "/" + name);
        }

        var names = (await ListAsync(client, "/")).Select(e => e.Name).ToList();
        Assert.Equal(4, names.Count);
        Assert.Contains(nfc, names);
        Assert.Contains(nfd, names);
        Assert.Contains(chinese, names);
        Assert.Contains(emoji, names);
        Assert.Equal(20, (await client.StatAsync("/" + nfd)).Size);
    }

    [Fact]
    public async Task Anonymous_is_unauthenticated_and_a_user_without_files_is_forbidden()
    {
        await using var server = await FilesServer.StartAsync();
        await using var anonymous = await SockitClient.ConnectAsync(server.Server.Framed);
        await using var runner = await server.ConnectAsync("runner", "runner password");

        var first = await Assert.ThrowsAsync<SockitRemoteException>(() => anonymous.StatAsync("/"));
        var second = await Assert.ThrowsAsync<SockitRemoteException>(() => runner.StatAsync("/"));

        Assert.Equal(SockitErrorCode.Unauthenticated, first.Code);
        Assert.Equal(SockitErrorCode.Forbidden, second.Code);
    }

    /// <summary>Blocks the calling thread until <paramref name="task"/> is done, as a synchronous callback that waits would.</summary>
    private static void WaitBlocking(Task task) => Assert.True(task.Wait(TimeSpan.FromSeconds(30)), "the wait did not end");
}
