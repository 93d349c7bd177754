using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;
using Sockit.IntegrationTests.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// The quota against uploads that run side by side: on one connection or several, they share one account's room, and
/// whatever ends (refused, cancelled, broken) gives back what it held.
/// </summary>
public sealed class UploadQuotaTests
{
    private const int Quota = 100_000;
    private const int FileLength = 30_000;

    [Fact]
    public async Task Streamed_uploads_started_together_reserve_their_sizes_and_the_ones_past_the_quota_are_refused_at_once()
    {
        await using var server = await FilesServer.StartAsync(quota: Quota);
        await using var connection = await server.OpenLoggedInAsync();

        // Three fit in 100,000 bytes; none of the ten has sent a byte when the others ask.
        await connection.SendTogetherAsync(Enumerable.Range(1, 10).Select(id => RawFrame.Build(
            $$"""{"op":"put","id":{{id}},"path":"/s{{id}}.bin","size":{{FileLength}},"input":true}""")));
        var started = new List<long>();
        var refused = new List<long>();
        while (started.Count + refused.Count < 10)
        {
            var (frame, _) = await connection.ReadFrameAsync();
            if (frame.Kind == "part")
            {
                started.Add(frame.Id!.Value);
            }
            else if (frame.Kind is null)
            {
                AssertError(frame, "quota_exceeded", frame.Id);
                refused.Add(frame.Id!.Value);
            }
        }

        Assert.Equal((3, 7), (started.Count, refused.Count));
        Assert.DoesNotContain(PartialsIn(server), name => refused.Any(id => name == $".s{id}.bin.sockit-part"));
    }

    [Fact]
    public async Task Whole_uploads_pipelined_past_the_quota_store_only_what_fits_and_the_refused_leave_nothing()
    {
        await using var server = await FilesServer.StartAsync(quota: Quota);
        await using var connection = await server.OpenLoggedInAsync();
        var file = new byte[FileLength];
        new Random(3).NextBytes(file);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));

        await connection.SendTogetherAsync(Enumerable.Range(1, 10).Select(id => RawFrame.Build(
            $$"""{"op":"put","id":{{id}},"path":"/w{{id}}.bin","size":{{FileLength}},"sha256":"{{sha256}}","data_size":{{FileLength}}}""", file)));
        var outcomes = new List<string>();
        foreach (var (frame, _) in await connection.ReadUntilFinalsAsync([.. Enumerable.Range(1, 10).Select(id => (long?)id)]))
        {
            outcomes.Add(frame.Ok == true ? "ok" : frame.Error!);
        }

        Assert.Equal(3, outcomes.Count(o => o == "ok"));
        Assert.Equal(7, outcomes.Count(o => o == "quota_exceeded"));
        Assert.Equal(3, Directory.GetFiles(HomeOf(server), "w*.bin").Length);
        Assert.Empty(PartialsIn(server));
    }

    [Fact]
    public async Task Tiny_files_count_the_disk_space_they_take_so_they_cannot_hold_many_times_the_quota()
    {
        await using var server = await FilesServer.StartAsync(quota: 64 * 1024);
        await using var client = await server.ConnectAsync();
        var tiny = server.MakeFile("tiny.bin", 1);
        long empty = (await client.GetDiskUsageAsync()).Used;
        await client.UploadFileAsync(tiny, "/first.bin");
        long perFile = (await client.GetDiskUsageAsync()).Used - empty;
        if (perFile <= 1)
        {
            // This file system keeps a tiny file's bytes inside its inode: a byte is all it takes.
            return;
        }

        // Counted by its one byte, each would let in another: all 100 would be stored.
        int stored = 1;
        for (int i = 0; i < 100; i++)
        {
            var error = await Record.ExceptionAsync(() => client.UploadFileAsync(tiny, $"/tiny-{i}.bin"));
            if (error is not null)
            {
                Assert.Equal(SockitErrorCode.QuotaExceeded, Assert.IsAssignableFrom<SockitException>(error).Code);
                break;
            }

            stored++;
        }

        var usage = await client.GetDiskUsageAsync();
        Assert.InRange(stored, 2, ((64 * 1024) - empty) / perFile + 1);
        Assert.InRange(usage.Used, 0, (64 * 1024) + perFile);
    }

    [Fact]
    public async Task Folders_count_the_disk_space_they_take_and_none_are_made_once_the_quota_is_full()
    {
        await using var server = await FilesServer.StartAsync(quota: 64 * 1024);
        await using var client = await server.ConnectAsync();
        long empty = (await client.GetDiskUsageAsync()).Used;
        await client.CreateFolderAsync("/first/second", parents: true);
        long perFolder = ((await client.GetDiskUsageAsync()).Used - empty) / 2;
        if (perFolder == 0)
        {
            // This file system takes no blocks for an empty folder (tmpfs): folders cost nothing to count.
            return;
        }

        int made = 2;
        SockitException? refused = null;
        for (int i = 0; i < 100 && refused is null; i++)
        {
            refused = await Record.ExceptionAsync(() => client.CreateFolderAsync($"/f{i}")) as SockitException;
            made += refused is null ? 1 : 0;
        }

        Assert.Equal(SockitErrorCode.QuotaExceeded, refused?.Code);
        Assert.InRange(made, 3, ((64 * 1024) - empty) / perFolder + 1);
        Assert.Equal(
            SockitErrorCode.QuotaExceeded,
            (await Assert.ThrowsAsync<SockitRemoteException>(() => client.UploadFileAsync(server.MakeFile("a.bin", 1), "/a.bin"))).Code);
    }

    [Fact]
    public async Task Uploads_on_several_connections_share_one_quota()
    {
        await using var server = await FilesServer.StartAsync(quota: Quota);
        var connections = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => server.OpenLoggedInAsync()));
        try
        {
            foreach (var (connection, id) in connections.Select((c, i) => (c, i + 1)))
            {
                await connection.SendFrameAsync($$"""{"op":"put","id":{{id}},"path":"/c{{id}}.bin","size":{{FileLength}},"input":true}""");
            }

            var firstFrames = await Task.WhenAll(connections.Select(async c => (await c.ReadFrameAsync()).Header));

            Assert.Equal(3, firstFrames.Count(f => f.Kind == "part"));
            Assert.All(firstFrames.Where(f => f.Kind != "part"), f => Assert.Equal("quota_exceeded", f.Error));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Refused_cancelled_failed_and_cut_off_uploads_give_their_room_back()
    {
        await using var server = await FilesServer.StartAsync(quota: Quota);
        await using var client = await server.ConnectAsync();
        await client.UploadFileAsync(server.MakeFile("base.bin", 50_000), "/base.bin");
        var file = new byte[FileLength];
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));

        await using (var connection = await server.OpenLoggedInAsync())
        {
            for (int round = 0; round < 10; round++)
            {
                long id = 10 * round;

                // Refused: more than is left.
                await connection.SendFrameAsync($$"""{"op":"put","id":{{id + 1}},"path":"/big.bin","size":60000,"input":true}""");
                AssertError((await connection.ReadFrameAsync()).Header, "quota_exceeded", id + 1);

                // Cancelled after some of its input.
                await connection.SendFrameAsync($$"""{"op":"put","id":{{id + 2}},"path":"/cancelled.bin","size":{{FileLength}},"input":true,"restart":true}""");
                await connection.ReadPutOffsetAsync(id + 2);
                await connection.SendInputAsync(id + 2, new byte[1000]);
                await connection.SendFrameAsync($$"""{"kind":"cancel","id":{{id + 2}}}""");
                AssertError((await connection.ReadUntilFinalAsync(id + 2))[^1].Header, "cancelled", id + 2);

                // Failed: the bytes do not match their hash.
                await connection.SendFrameAsync(
                    $$"""{"op":"put","id":{{id + 3}},"path":"/wrong.bin","size":{{FileLength}},"sha256":"{{new string('0', 64)}}","data_size":{{FileLength}}}""", file);
                AssertError((await connection.ReadFrameAsync()).Header, "checksum_mismatch", id + 3);

                // Stopped: more input than its size.
                await connection.SendFrameAsync($$"""{"op":"put","id":{{id + 4}},"path":"/liar.bin","size":10,"sha256":"{{sha256}}","input":true}""");
                await connection.ReadPutOffsetAsync(id + 4);
                await connection.SendInputAsync(id + 4, new byte[100]);
                AssertError((await connection.ReadUntilFinalAsync(id + 4))[^1].Header, "invalid_argument", id + 4);
            }

            // Cut off while it waits for its input.
            await connection.SendFrameAsync($$"""{"op":"put","id":999,"path":"/cut.bin","size":{{FileLength}},"input":true,"restart":true}""");
            await connection.ReadPutOffsetAsync(999);
        }

        // Let in only once the cut-off upload has ended: its target is free again, and its room with it.
        await client.UploadFileAsync(server.MakeFile("empty.bin", 0), "/cut.bin");
        var df = await client.GetDiskUsageAsync();
        var fits = server.MakeFile("fits.bin", (int)df.Free!.Value, seed: 4);

        await client.UploadFileAsync(fits, "/fits.bin");

        Assert.InRange(df.Used, 50_000, 70_000);
        Assert.Equal(df.Free, (await client.StatAsync("/fits.bin")).Size);
    }

    private static string HomeOf(FilesServer server) =>
        Path.Combine(Path.GetDirectoryName(server.Server.Server.UsersFile)!, "homes", FilesServer.User);

    private static string[] PartialsIn(FilesServer server) =>
        [.. Directory.EnumerateFiles(HomeOf(server), "*.sockit-part").Select(Path.GetFileName)!];
}
