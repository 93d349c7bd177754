using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Files;

/// <summary>
/// A streamed upload's widened input window comes out of one budget for the whole server: memory for uploads stays
/// bounded however many run, and an upload past the budget still runs, with the connection's window.
/// </summary>
public sealed class UploadWindowTests
{
    private const string Sha256OfHello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private const int Window = 1024 * 1024;

    [Fact]
    public async Task An_upload_past_the_budget_keeps_the_connection_window_and_completes_and_a_finished_one_gives_its_window_back()
    {
        await using var server = await FilesServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sockit:Files:UploadWindow"] = $"{Window}",
            ["Sockit:Files:UploadWindowBudget"] = $"{Window + 1}",
        });
        await using var connection = await FrameConnection.OpenAsync(server.Server.Framed);
        Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);

        // The first upload holds the whole budget for as long as it waits for its input.
        await connection.SendFrameAsync("""{"op":"put","id":1,"path":"/held.bin","size":10,"input":true}""");
        await connection.ReadPutOffsetAsync(1, Window);

        await connection.SendFrameAsync("""{"op":"put","id":2,"path":"/a.txt","size":5,"input":true}""");
        await connection.ReadPutOffsetAsync(2, widenedWindow: null);
        await connection.SendInputAsync(2, "hello"u8.ToArray());
        await connection.SendFrameAsync($$"""{"kind":"end","id":2,"sha256":"{{Sha256OfHello}}"}""");
        var second = await connection.ReadUntilFinalAsync(2);

        await connection.SendFrameAsync("""{"kind":"cancel","id":1}""");
        AssertError((await connection.ReadUntilFinalAsync(1))[^1].Header, "cancelled", 1);
        await connection.SendFrameAsync("""{"op":"put","id":3,"path":"/b.bin","size":10,"input":true}""");
        await connection.ReadPutOffsetAsync(3, Window);

        // No grant at all for the upload past the budget: its window stayed the connection's.
        Assert.DoesNotContain(second, frame => frame.Header.Kind == "window");
        AssertOkReply(second[^1].Header, "put", 2);
    }
}
