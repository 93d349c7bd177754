using Sockit.Server.Sessions;
using static Sockit.IntegrationTests.Sessions.SessionFrames;

namespace Sockit.IntegrationTests.Sessions;

/// <summary>The login deadline and requests that run on: admitted is enough, however long they take.</summary>
public sealed class LoginDeadlineTests
{
    [Fact]
    public async Task A_long_anonymous_request_is_not_cut_off_by_the_login_deadline_while_it_runs()
    {
        await using var server = await SessionServer.StartAsync(new Dictionary<string, string?>
        {
            // Long enough for the request to arrive on a loaded machine, short enough to pass while it runs.
            ["Sockit:Auth:LoginTimeout"] = "00:00:01",
        });
        await using var connection = await server.ConnectAsync();

        await connection.SendFrameAsync(Stream(1, """ "gated":true"""));
        await server.Probe.WhenStarted("1");

        // Time has to pass for this one: past the login deadline, with the request still waiting at its gate.
        await Task.Delay(TimeSpan.FromMilliseconds(1600));
        Assert.False(server.Probe.WhenEnded("1").IsCompleted);
        server.Probe.Open("1/end");
        var (reply, _) = await connection.ReadFrameAsync();

        AssertOkReply(reply, TestStreamOperation.OpName, 1);
        Assert.Equal(AbortReason.None, await server.Probe.WhenEnded("1"));
    }
}
