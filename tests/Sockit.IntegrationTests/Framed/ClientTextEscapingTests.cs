using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Framed;

/// <summary>
/// Text a client sends never reaches the server's log, or comes back in an error, with its control characters
/// intact: an ESC or CR there could rewrite the terminal of whoever reads the log or runs the client.
/// </summary>
public sealed class ClientTextEscapingTests
{
    private const string Attack = @"\u001b]0;owned\u0007\u001b[2J\r\u009b";

    public static TheoryData<string, string, string> Requests => new()
    {
        // header, code, what the message must say
        { $$"""{"op":"{{Attack}}evil","id":1}""", "unknown_op", @"unknown op '\u001b]0;owned\u0007\u001b[2J\u000d\u009bevil'" },
        { $$"""{"op":"auth","id":1,"mechanism":"{{Attack}}PLAIN"}""", "invalid_argument", @"unknown mechanism '\u001b]0;owned" },
        { $$"""{"op":"auth","id":1,"mechanism":"HMAC-SHA256","user":"{{Attack}}root","response":"{{new string('0', 64)}}"}""", "invalid_argument", "control character" },
        { $$"""{"op":"auth","id":1,"mechanism":"SCRAM-SHA-256","sasl":"n,,n={{Attack}}root,r=abcdefghijklmnop"}""", "invalid_argument", "control character" },
        { $$"""{"op":"time","id":1,"format":"%\u001b[2J"}""", "invalid_format", @"'%\u001b" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Control_characters_from_a_request_are_escaped_in_the_error_and_the_log(string header, string code, string says)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build(header));
        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal(code, reply.Error);
        Assert.Contains(says, reply.Message, StringComparison.Ordinal);
        AssertPrintable(reply.Message);
        AssertPrintable(reply.Op);
        Assert.All(server.Log.Entries, entry => AssertPrintable(entry.Message));
        await BadInputTests.AssertServesEchoAsync(connection);
    }

    [Fact]
    public async Task A_raw_escape_byte_in_a_header_is_escaped_in_the_error_and_the_log()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\u001b[2J\r}"));
        var (reply, _) = await connection.ReadReplyAsync();
        await connection.AssertClosedByServerAsync();

        Assert.Equal("invalid_header", reply.Error);
        AssertPrintable(reply.Message);
        Assert.Contains(server.Log.Entries, entry => entry.Event.Id == 1004);
        Assert.All(server.Log.Entries, entry => AssertPrintable(entry.Message));
    }

    [Fact]
    public async Task A_huge_unknown_op_name_is_quoted_cut_short()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build($$"""{"op":"{{new string('x', 20_000)}}","id":1}"""));
        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal("unknown_op", reply.Error);
        Assert.Equal(new string('x', 100) + "...", reply.Op);
        Assert.True(reply.Message!.Length < 300, $"the message is {reply.Message.Length} characters long");
        Assert.All(server.Log.Entries, entry => Assert.True(entry.Message.Length < 2500, $"a log line is {entry.Message.Length} characters long"));
    }

    /// <summary>No C0 or C1 control character, DEL, line separator or bidirectional override.</summary>
    private static void AssertPrintable(string? text)
    {
        foreach (var rune in (text ?? string.Empty).EnumerateRunes())
        {
            Assert.False(
                Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 || rune.Value is >= 0x202A and <= 0x202E,
                $"U+{rune.Value:X4} in: {text?.Replace("\u001b", "<ESC>", StringComparison.Ordinal)}");
        }
    }
}
