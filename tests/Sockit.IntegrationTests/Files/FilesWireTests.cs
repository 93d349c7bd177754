using Sockit.IntegrationTests.Sessions;

namespace Sockit.IntegrationTests.Files;

/// <summary>Bad file requests on the wire: each gets its error code, nothing is kept, and the connection serves on.</summary>
public sealed class FilesWireTests
{
    private const string Sha256OfHello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    [Theory]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"xyz","data_size":5}""", "hello", "invalid_argument")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":-1,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}""", "", "invalid_argument")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":9,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","data_size":5}""", "hello", "invalid_argument")]
    [InlineData("""{"op":"put","path":"/a.txt","size":5,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","input":true}""", "", "invalid_argument")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"0000000000000000000000000000000000000000000000000000000000000000","data_size":5}""", "hello", "checksum_mismatch")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","md5":"00000000000000000000000000000000","data_size":5}""", "hello", "checksum_mismatch")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","mtime":"soon","data_size":5}""", "hello", "invalid_argument")]
    [InlineData("""{"op":"put","id":3,"path":"/a.txt","size":"five","data_size":0}""", "", "invalid_argument")]
    [InlineData("""{"op":"mv","id":3,"from":"/a.txt"}""", "", "invalid_argument")]
    [InlineData("""{"op":"get","id":3,"path":"/nothing.txt"}""", "", "not_found")]
    [InlineData("""{"op":"rm","id":3,"path":"/"}""", "", "invalid_argument")]
    public async Task A_bad_file_request_gets_its_code_and_keeps_nothing(string request, string body, string code)
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await Infrastructure.FrameConnection.OpenAsync(server.Server.Framed);
        Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);

        await connection.SendFrameAsync(request, body.Length == 0 ? null : System.Text.Encoding.ASCII.GetBytes(body));
        var (refusal, _) = await connection.ReadFrameAsync();
        await connection.SendFrameAsync("""{"op":"stat","id":4,"path":"/a.txt"}""");
        var (stat, _) = await connection.ReadFrameAsync();

        Assert.Equal((false, code), (refusal.Ok, refusal.Error));
        Assert.Equal((false, "not_found"), (stat.Ok, stat.Error));
    }

    [Fact]
    public async Task An_offset_past_the_end_of_a_file_is_refused()
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await Infrastructure.FrameConnection.OpenAsync(server.Server.Framed);
        Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);
        await connection.SendFrameAsync($$"""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"{{Sha256OfHello}}","data_size":5}""", "hello"u8.ToArray());
        Assert.Equal(true, (await connection.ReadFrameAsync()).Header.Ok);

        await connection.SendFrameAsync("""{"op":"get","id":4,"path":"/a.txt","offset":6}""");
        var (refusal, _) = await connection.ReadFrameAsync();

        Assert.Equal((false, "invalid_argument"), (refusal.Ok, refusal.Error));
    }

    [Fact]
    public async Task A_stream_longer_than_its_size_is_stopped_and_its_partial_removed()
    {
        await using var server = await FilesServer.StartAsync();
        await using var connection = await Infrastructure.FrameConnection.OpenAsync(server.Server.Framed);
        Assert.True((await connection.LoginWithPasswordAsync(FilesServer.User, FilesServer.Password)).Ok);
        await connection.SendFrameAsync($$"""{"op":"put","id":3,"path":"/a.txt","size":5,"sha256":"{{Sha256OfHello}}","input":true}""");
        await connection.ReadPutOffsetAsync(3);

        await connection.SendInputAsync(3, "hello, and more"u8.ToArray());
        var (refusal, _) = await connection.ReadFrameAsync();
        var home = Path.Combine(Path.GetDirectoryName(server.Server.Server.UsersFile)!, "homes", FilesServer.User);

        Assert.Equal((false, "invalid_argument"), (refusal.Ok, refusal.Error));
        Assert.Empty(Directory.GetFileSystemEntries(home));
    }
}
