using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>Stopping a running request: cancel frames, and connections that break under it.</summary>
public sealed class CancelTests
{
    [Fact]
    public async Task Cancel_fires_the_operations_Aborted_token_and_the_final_reply_is_cancelled()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(7, """ "gated":true"""));
        await server.Probe.WhenStarted("7");
        await connection.SendFrameAsync("""{"kind":"cancel","id":7}""");
        var (reply, _) = await connection.ReadFrameAsync();

        AssertError(reply, "cancelled", 7);
        Assert.Equal(TestStreamOperation.OpName, reply.Op);
        Assert.Equal(AbortReason.Cancelled, await server.Probe.WhenEnded("7"));
        await connection.AssertEchoAnsweredAsync(70);
    }

    [Fact]
    public async Task Cancel_reaches_an_operation_waiting_for_input()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(8, """ "echo_input":true"""));
        await connection.SendInputAsync(8, "abc"u8.ToArray());
        AssertPart((await connection.ReadFrameAsync()).Header, 8, 0, "input");
        await connection.SendFrameAsync("""{"kind":"cancel","id":8}""");

        AssertError((await connection.ReadFrameAsync()).Header, "cancelled", 8);
        Assert.Equal(AbortReason.Cancelled, await server.Probe.WhenEnded("8"));
    }

    [Fact]
    public async Task Cancel_for_an_id_not_in_flight_is_ignored_and_the_connection_goes_on()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        // Never used, and just answered: both are skipped without a word.
        await connection.SendFrameAsync("""{"kind":"cancel","id":99}""");
        await connection.AssertEchoAnsweredAsync(3);
        await connection.SendFrameAsync("""{"kind":"cancel","id":3}""");
        await connection.AssertEchoAnsweredAsync(4);
    }

    [Fact]
    public async Task A_reset_connection_aborts_its_running_operation_as_disconnected()
    {
        await using var server = await SessionServer.StartAsync();
        var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await server.Probe.WhenStarted("1");
        connection.Socket.LingerState = new LingerOption(true, 0);
        await connection.DisposeAsync();

        Assert.Equal(AbortReason.Disconnected, await server.Probe.WhenEnded("1"));
        await using var next = await server.ConnectAsync();
        await next.AssertEchoAnsweredAsync(1);
    }

    [Fact]
    public async Task An_error_that_closes_the_connection_aborts_its_running_operations_as_disconnected()
    {
        await using var server = await SessionServer.StartAsync();
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await connection.SendFrameAsync(Stream(2, """ "echo_input":true"""));
        await server.Probe.WhenStarted("1");
        await server.Probe.WhenStarted("2");
        await connection.SendAsync(RawFrame.Build("not json"));

        // No reply for the aborted requests: the error is the last frame.
        AssertError((await connection.ReadFrameAsync()).Header, "invalid_header", null);
        await connection.AssertClosedByServerAsync();
        Assert.Equal(AbortReason.Disconnected, await server.Probe.WhenEnded("1"));
        Assert.Equal(AbortReason.Disconnected, await server.Probe.WhenEnded("2"));
    }
}
