using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Frames with a <c>kind</c> the client may not send, or sent without what they need, and steering frames for no request.</summary>
public sealed class ControlFrameTests
{
    [Theory]
    [InlineData("""{"kind":"later","id":1}""")]
    [InlineData("""{"kind":"part","id":1}""")]
    [InlineData("""{"kind":"event"}""")]
    [InlineData("""{"kind":"probe"}""")]
    [InlineData("""{"kind":"cancel"}""")]
    [InlineData("""{"kind":"input","data_size":3}""")]
    [InlineData("""{"kind":"window","id":1}""")]
    public async Task A_frame_of_the_wrong_kind_gets_invalid_field_without_an_id_and_the_connection_goes_on(string header)
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await connection.SendFrameAsync(header, header.Contains("data_size", StringComparison.Ordinal) ? "abc"u8.ToArray() : null);

        AssertError((await connection.ReadFrameAsync()).Header, "invalid_field", null);
        await connection.AssertEchoAnsweredAsync(2);
        server.Probe.Open("1/end");
        AssertOkReply((await connection.ReadFrameAsync()).Header, TestStreamOperation.OpName, 1);
    }

    [Fact]
    public async Task Steering_frames_for_an_id_not_in_flight_are_skipped_with_their_bodies()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendInputAsync(9, "abc"u8.ToArray());
        await connection.SendFrameAsync("""{"kind":"end","id":9}""");
        await connection.SendFrameAsync("""{"kind":"window","id":9,"credit":10}""");

        await connection.AssertEchoAnsweredAsync(1);
    }

    [Fact]
    public async Task A_window_on_a_request_without_an_id_is_refused_and_the_connection_goes_on()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(null, """ "tag":"x","window":65536,"parts":1,"part_size":1"""));

        AssertError((await connection.ReadFrameAsync()).Header, "invalid_field", null);
        Assert.False(server.Probe.HasStarted("x"));
        await connection.AssertEchoAnsweredAsync(1);
    }
}
