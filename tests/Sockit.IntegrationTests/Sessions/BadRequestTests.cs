using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Protocol-2 fields of a request, and subscriptions, given values the server refuses; the connection goes on.</summary>
public sealed class BadRequestTests
{
    [Theory]
    [InlineData("""{"op":"echo","id":4,"window":65535}""", 4L)]
    [InlineData("""{"op":"echo","window":65536}""", null)]
    public async Task A_request_window_below_a_part_or_without_an_id_is_invalid_field(string header, long? id)
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(header);
        var (reply, _) = await connection.ReadFrameAsync();

        AssertError(reply, "invalid_field", id);
        await connection.AssertEchoAnsweredAsync(5);
    }

    [Theory]
    [InlineData("""{"op":"subscribe","id":6,"topics":[]}""")]
    [InlineData("""{"op":"subscribe","id":6,"topics":["Server"]}""")]
    [InlineData("""{"op":"subscribe","id":6,"topics":["x\u001b[31m"]}""")]
    [InlineData("""{"op":"unsubscribe","id":6}""")]
    public async Task Subscriptions_to_no_topic_or_to_a_name_that_is_not_a_topic_are_invalid_argument(string header)
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(header);
        var (reply, _) = await connection.ReadFrameAsync();

        AssertError(reply, "invalid_argument", 6);
        Assert.DoesNotContain('\u001b', reply.Message ?? "");
        await connection.AssertEchoAnsweredAsync(7);
    }

    [Fact]
    public async Task More_than_32_topics_on_one_connection_is_invalid_argument()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();
        var topics = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"t{i}\""));

        await connection.SendFrameAsync($$"""{"op":"subscribe","id":8,"topics":[{{topics}}]}""");
        var (reply, _) = await connection.ReadFrameAsync();

        AssertError(reply, "invalid_argument", 8);
        await connection.AssertEchoAnsweredAsync(9);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(9L, ",\"parts\":2")]
    public async Task An_operation_whose_own_io_fails_inline_gets_internal_error_not_silence(long? id, string extra)
    {
        // A file error is an IOException, as a lost connection is; taken for one, the client would wait forever.
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(id, "\"fail_io\":true" + extra));
        var frames = await connection.ReadUntilFinalAsync(id);

        AssertError(frames[^1].Header, "internal_error", id);
    }

    [Fact]
    public async Task An_operation_whose_own_io_fails_on_its_own_gets_internal_error_and_the_connection_goes_on()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        // Gated, so that it is still running when the loop answers the echo: it then fails on its own.
        await connection.SendFrameAsync(Stream(9, "\"fail_io\":true,\"gated\":true"));
        await connection.AssertEchoAnsweredAsync(8);
        server.Probe.Open("9/end");
        var frames = await connection.ReadUntilFinalAsync(9);

        AssertError(frames[^1].Header, "internal_error", 9);
        await connection.AssertEchoAnsweredAsync(10);
    }
}
