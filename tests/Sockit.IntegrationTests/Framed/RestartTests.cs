using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Framed;

public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_server_binds_its_port_at_once_despite_connections_it_closed()
    {
        var first = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:IdleTimeout"] = "00:00:00.200" });
        var address = first.Framed;
        await using (var connection = await FrameConnection.OpenAsync(address))
        {
            // The server closes this one (idle timeout), which leaves its side of the socket in TIME_WAIT.
            var (notice, _) = await connection.ReadReplyAsync();
            Assert.Equal("idle_timeout", notice.Error);
            await connection.AssertClosedByServerAsync();
        }

        await first.DisposeAsync();

        await using var second = await TestServer.StartAsync(listen: [$"framed=tcp://127.0.0.1:{address.Port}"]);
        Assert.Equal(address.Port, second.Framed.Port);
        await using var again = await FrameConnection.OpenAsync(second.Framed);
        await BadInputTests.AssertServesEchoAsync(again);
    }
}
