using Sockit.Cli.Tests.Fakes;

namespace Sockit.Cli.Tests.Commands;

/// <summary>
/// A server whose reply is a frame but not the reply it should be: the command ends at once with one line and the
/// protocol error's exit code, instead of waiting for its timeout.
/// </summary>
public sealed class MalformedReplyTests
{
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
