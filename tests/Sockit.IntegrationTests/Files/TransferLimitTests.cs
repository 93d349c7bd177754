using Sockit.IntegrationTests.Sessions;
using Sockit.Server.Accounts;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Files;

/// <summary>Transfer slots: one account cannot hold every one of them and lock everyone else out of the file service.</summary>
public sealed class TransferLimitTests
{
    private const string Sha256OfHello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    [Fact]
    public async Task A_user_at_the_per_user_limit_gets_server_busy_while_another_user_still_transfers()
    {
        await using var server = await FilesServer.StartAsync(settings: new Dictionary<string, string?> { ["Sockit:Files:MaxTransfersPerUser"] = "2" });
        server.Server.Users.Add("bob", "bob password", Permissions.Files);
        await using var alice = await server.OpenLoggedInAsync();
        await alice.SendFrameAsync(PutHello(1, "/a.txt"), "hello"u8.ToArray());
        AssertOkReply((await alice.ReadFrameAsync()).Header, "put", 1);

        // Streamed uploads that never send a byte hold their slots for as long as the connection lasts.
        foreach (long id in new long[] { 2, 3 })
        {
            await alice.SendFrameAsync($$"""{"op":"put","id":{{id}},"path":"/held{{id}}.bin","size":10,"input":true}""");
            await alice.ReadPutOffsetAsync(id);
        }

        await alice.SendFrameAsync(PutHello(4, "/b.txt"), "hello"u8.ToArray());
        var putRefused = (await alice.ReadFrameAsync()).Header;
        await alice.SendFrameAsync("""{"op":"get","id":5,"path":"/a.txt"}""");
        var getRefused = (await alice.ReadFrameAsync()).Header;
        await using var bob = await server.OpenLoggedInAsync("bob", "bob password");
        await bob.SendFrameAsync(PutHello(1, "/b.txt"), "hello"u8.ToArray());
        var bobPut = (await bob.ReadFrameAsync()).Header;
        await bob.SendFrameAsync("""{"op":"get","id":2,"path":"/b.txt"}""");
        var bobGet = await bob.ReadUntilFinalAsync(2);

        AssertError(putRefused, "server_busy", 4);
        Assert.Contains("alice", putRefused.Message, StringComparison.Ordinal);
        AssertError(getRefused, "server_busy", 5);
        AssertOkReply(bobPut, "put", 1);
        AssertOkReply(bobGet[^1].Header, "get", 2);
        Assert.Equal("hello"u8.ToArray(), bobGet.Single(f => f.Body.Length > 0).Body);

        // A slot given back is a slot to use.
        await alice.SendFrameAsync("""{"kind":"cancel","id":2}""");
        AssertError((await alice.ReadUntilFinalAsync(2))[^1].Header, "cancelled", 2);
        await alice.SendFrameAsync(PutHello(6, "/b.txt"), "hello"u8.ToArray());
        AssertOkReply((await alice.ReadFrameAsync()).Header, "put", 6);
    }

    [Fact]
    public async Task A_transfer_slot_is_free_again_by_the_time_its_reply_arrives()
    {
        // A client keeps as many transfers in flight as it may (put -r: 32), starting the next as soon as a reply comes.
        await using var server = await FilesServer.StartAsync(settings: new Dictionary<string, string?> { ["Sockit:Files:MaxTransfersPerUser"] = "1" });
        await using var connection = await server.OpenLoggedInAsync();
        var outcomes = new List<string>();

        for (long id = 1; id <= 200; id++)
        {
            await connection.SendFrameAsync(PutHello(id, $"/f{id % 2}.txt", overwrite: true), "hello"u8.ToArray());
            var reply = (await connection.ReadFrameAsync()).Header;
            outcomes.Add(reply.Ok == true ? "ok" : reply.Error!);
        }

        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome));
    }

    private static string PutHello(long id, string path, bool overwrite = false) =>
        $$"""{"op":"put","id":{{id}},"path":"{{path}}","size":5,"sha256":"{{Sha256OfHello}}","overwrite":{{(overwrite ? "true" : "false")}},"data_size":5}""";
}
