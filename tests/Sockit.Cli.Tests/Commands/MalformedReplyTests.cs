using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

/// <summary>
/// A server whose hello or reply is a frame but not what it should be: the command ends at once with one line and the
/// protocol error's exit code, instead of waiting for its timeout or failing as if sockit itself were broken.
/// </summary>
public sealed class MalformedReplyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-malformed-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_hello_whose_nonce_is_not_base64_is_a_protocol_error()
    {
        // The nonce is the HMAC challenge that a login with a key answers.
        var hello = FakeSockitServer.HelloJson.Replace("bm9uY2U=", "!!!\\u001b]0;pwned\\u0007", StringComparison.Ordinal);
        await using var server = new FakeSockitServer(hello: hello);
        var keyFile = Path.Join(_folder.FullName, "ci.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(new byte[32]));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var result = await CliHarness.RunAsync(["whoami", "--user", "ci", "--key-file", keyFile, "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ProtocolError);
        Assert.Equal($"sockit: protocol error (invalid_field): {server.Address} sent a hello whose nonce is not base64", line);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("whoami", """{"op":"whoami","id":1,"ok":true,"user":5}""", "$.user")]
    [InlineData("df", """{"op":"df","id":1,"ok":true,"used":5,"quota":100,"free":"x"}""", "$.free")]
    [InlineData("time %H", """{"op":"time","id":1,"ok":true,"time":5}""", "$.time")]
    public async Task A_reply_field_of_the_wrong_type_is_a_protocol_error(string command, string reply, string field)
    {
        await using var server = new FakeSockitServer(_ => new FakeReply(reply));

        var result = await CliHarness.RunAsync([.. command.Split(' '), "-s", server.Address]);

        var line = result.AssertOneLineFailure(ExitCode.ProtocolError);
        Assert.Equal($"sockit: protocol error (invalid_field): a header field has the wrong type at {field}", line);
        Assert.Equal("", result.Output);
    }
}
