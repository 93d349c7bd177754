using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Sessions;

namespace Sockit.IntegrationTests.Files;

/// <summary>A streamed upload whose SHA-256 comes on its <c>end</c> frame: a client that hashes while it sends.</summary>
public sealed class PutEndHashTests
{
    private const string Sha256OfHello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private const string OtherSha256 = "0000000000000000000000000000000000000000000000000000000000000000";

    private static async Task<FrameConnection> LoggedInAsync(FilesServer server)
    {
        var connection = await FrameConnection.OpenAsync(server.Server.Framed);
        Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);
        return connection;
    }

    /// <summary>Sends a streamed put of "hello" (sha256 in the request only when given), its bytes and its end frame.</summary>
    private static async Task<WireFrame> PutHelloAsync(FrameConnection connection, string? requestSha256, string endFields)
    {
        string sha256 = requestSha256 is null ? "" : $",\"sha256\":\"{requestSha256}\"";
        await connection.SendFrameAsync($$"""{"op":"put","id":3,"path":"/a.txt","size":5{{sha256}},"input":true}""");
        await connection.ReadPutOffsetAsync(3);
        await connection.SendInputAsync(3, "hello"u8.ToArray());
        await connection.SendFrameAsync($$"""{"kind":"end","id":3{{endFields}}}""");
        return (await connection.ReadFrameAsync()).Header;
    }

    private static string HomeOf(FilesServer server) =>
        Path.Combine(Path.GetDirectoryName(server.Server.Server.UsersFile)!, "homes", FilesServer.User);

    private static async Task<WireFrame> StatAsync(FrameConnection connection)
    {
        await connection.SendFrameAsync("""{"op":"stat","id":4,"path":"/a.txt"}""");
        return (await connection.ReadFrameAsync()).Header;
    }

    [Fact]
    public async Task The_hash_on_the_end_frame_verifies_the_upload()
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await LoggedInAsync(server);

        var reply = await PutHelloAsync(connection, null, $",\"sha256\":\"{Sha256OfHello}\"");

        Assert.Equal((true, null), (reply.Ok, reply.Error));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(HomeOf(server), "a.txt")));
    }

    [Theory]
    [InlineData(null, $",\"sha256\":\"{OtherSha256}\"", "checksum_mismatch")]
    [InlineData(Sha256OfHello, $",\"sha256\":\"{OtherSha256}\"", "checksum_mismatch")]
    [InlineData(OtherSha256, $",\"sha256\":\"{Sha256OfHello}\"", "checksum_mismatch")]
    [InlineData(null, ",\"sha256\":\"xyz\"", "invalid_argument")]
    [InlineData(null, ",\"sha256\":5", "invalid_argument")]
    [InlineData(null, "", "invalid_argument")]
    public async Task An_upload_whose_hashes_do_not_all_match_its_bytes_gets_no_name(string? requestSha256, string endFields, string code)
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await LoggedInAsync(server);

        var reply = await PutHelloAsync(connection, requestSha256, endFields);
        var stat = await StatAsync(connection);

        Assert.Equal((false, code), (reply.Ok, reply.Error));
        Assert.Equal((false, "not_found"), (stat.Ok, stat.Error));
    }

    [Fact]
    public async Task An_upload_that_ended_without_any_hash_keeps_its_bytes_for_a_run_that_sends_one()
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await LoggedInAsync(server);
        var refused = await PutHelloAsync(connection, null, "");

        // The second run sends nothing but the end: the server resumes at byte 5 and verifies all of it.
        await connection.SendFrameAsync("""{"op":"put","id":5,"path":"/a.txt","size":5,"input":true}""");
        await connection.ReadPutOffsetAsync(5);
        await connection.SendFrameAsync($$"""{"kind":"end","id":5,"sha256":"{{Sha256OfHello}}"}""");
        var reply = (await connection.ReadFrameAsync()).Header;

        Assert.Equal("invalid_argument", refused.Error);
        Assert.Contains("end frame", refused.Message, StringComparison.Ordinal);
        Assert.Equal((true, null), (reply.Ok, reply.Error));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(HomeOf(server), "a.txt")));
    }

    [Fact]
    public async Task A_whole_upload_still_needs_its_hash_in_the_request()
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await LoggedInAsync(server);

        await connection.SendFrameAsync("""{"op":"put","id":3,"path":"/a.txt","size":5,"data_size":5}""", Encoding.ASCII.GetBytes("hello"));
        var reply = (await connection.ReadFrameAsync()).Header;

        Assert.Equal((false, "invalid_argument"), (reply.Ok, reply.Error));
        var stat = await StatAsync(connection);
        Assert.Equal((false, "not_found"), (stat.Ok, stat.Error));
    }
}
