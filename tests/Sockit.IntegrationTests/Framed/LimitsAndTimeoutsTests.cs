using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Framed;

public sealed class LimitsAndTimeoutsTests
{
    [Fact]
    public async Task Over_the_connection_limit_a_client_is_refused_with_server_busy_not_left_hanging()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:MaxConnections"] = "2" });
        await using var first = await FrameConnection.OpenAsync(server.Framed);
        var second = await FrameConnection.OpenAsync(server.Framed);

        await using (var third = await FrameConnection.OpenAsync(server.Framed, readHello: false))
        {
            var (refusal, _) = await third.ReadReplyAsync();
            Assert.Equal("server_busy", refusal.Error);
            await third.AssertClosedByServerAsync();
        }

        // A slot freed is a slot usable again.
        await second.DisposeAsync();
        await BadInputTests.AssertServesEchoAsync(first);
        await WaitForFreeSlotAsync(server);
        await using var fourth = await FrameConnection.OpenAsync(server.Framed);
        await BadInputTests.AssertServesEchoAsync(fourth);
    }

    [Fact]
    public async Task A_silent_client_is_closed_with_idle_timeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:IdleTimeout"] = "00:00:00.300" });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        var (error, _) = await connection.ReadReplyAsync();

        Assert.Equal("idle_timeout", error.Error);
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task A_client_that_starts_a_header_and_stalls_is_closed_with_header_timeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:HeaderTimeout"] = "00:00:00.300" });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\"}").AsMemory(0, 6));
        var (error, _) = await connection.ReadReplyAsync();

        Assert.Equal("header_timeout", error.Error);
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task Shutdown_tells_idle_clients_and_closes_them()
    {
        var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        await BadInputTests.AssertServesEchoAsync(connection);

        var stopping = server.Server.StopAsync();
        var (notice, _) = await connection.ReadReplyAsync();
        await connection.AssertClosedByServerAsync();
        await stopping;
        await server.DisposeAsync();

        Assert.Equal("shutting_down", notice.Error);
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_does_not_hold_its_slot_forever()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:IdleTimeout"] = "00:00:00.500" });
        var connection = await FrameConnection.OpenAsync(server.Framed);
        connection.Socket.ReceiveBufferSize = 4096;
        var body = new byte[1024 * 1024];
        var frame = Sockit.Protocol.Framing.FrameWriter.Encode(
            new Sockit.Protocol.Messages.EchoRequest { DataSize = body.Length }, Sockit.Protocol.Messages.SockitJsonContext.Default.EchoRequest, body);

        // Keep sending echoes and never read: the server's replies back up until its writes stall.
        var flood = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 64; i++)
                {
                    await connection.SendAsync(frame);
                }
            }
            catch (IOException)
            {
                // The server gave up on us, which is the point.
            }
        });
        await WaitForSlotsInUseAsync(server, 1);

        await WaitForSlotsInUseAsync(server, 0);
        await connection.DisposeAsync();
        await flood;
        Assert.Contains(server.Log.Entries, e => e.Message.Contains("timeout", StringComparison.Ordinal));
    }

    private static async Task WaitForSlotsInUseAsync(TestServer server, int count)
    {
        var limiter = (Sockit.Server.Connections.ConnectionLimiter)server.Server.Services.GetService(typeof(Sockit.Server.Connections.ConnectionLimiter))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (limiter.Current != count)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    private static async Task WaitForFreeSlotAsync(TestServer server)
    {
        // The server releases the slot when it notices the close; poll its counter rather than sleep blindly.
        var limiter = (Sockit.Server.Connections.ConnectionLimiter)server.Server.Services.GetService(typeof(Sockit.Server.Connections.ConnectionLimiter))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (limiter.Current >= limiter.Limit)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
