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
    public async Task One_address_over_its_own_limit_is_refused_while_other_addresses_are_served()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:MaxConnectionsPerAddress"] = "2" });
        await using var first = await FrameConnection.OpenAsync(server.Framed);
        await using var second = await FrameConnection.OpenAsync(server.Framed);

        await using (var third = await FrameConnection.OpenAsync(server.Framed, readHello: false))
        {
            var (refusal, _) = await third.ReadReplyAsync();
            Assert.Equal("server_busy", refusal.Error);
            Assert.Contains("your address", refusal.Message, StringComparison.Ordinal);
            await third.AssertClosedByServerAsync();
        }

        // Another loopback address is another client.
        await using var other = await FrameConnection.OpenAsync(server.Framed, localAddress: System.Net.IPAddress.Parse("127.0.0.2"));
        await BadInputTests.AssertServesEchoAsync(other);
        await BadInputTests.AssertServesEchoAsync(first);
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
    public async Task Shutdown_lets_an_in_flight_request_finish_before_closing()
    {
        var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var body = new byte[200_000];
        new Random(7).NextBytes(body);
        var frame = RawFrame.Build($"{{\"op\":\"echo\",\"id\":5,\"data_size\":{body.Length}}}", body);
        await connection.SendAsync(frame.AsMemory(0, 1000));

        // The echo's reply starts as soon as its body does: once it shows, the request is in flight.
        await connection.WaitForDataAsync();
        var stopping = server.Server.StopAsync();
        await connection.SendAsync(frame.AsMemory(1000));
        var (reply, echoed) = await connection.ReadReplyAsync();
        var (notice, _) = await connection.ReadReplyAsync();
        await connection.AssertClosedByServerAsync();
        await stopping;
        await server.DisposeAsync();

        Assert.Equal((true, 5L), (reply.Ok, reply.Id!.Value));
        Assert.Equal(body, echoed);
        Assert.Equal("shutting_down", notice.Error);
    }

    [Fact]
    public async Task Shutdown_closes_a_stalled_request_once_the_grace_period_is_over()
    {
        var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:ShutdownTimeout"] = "00:00:00.300" });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"upper\":true,\"data_size\":1000}", new byte[10]));
        await WaitForSlotsInUseAsync(server, 1);

        await server.Server.StopAsync();

        await WaitForSlotsInUseAsync(server, 0);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_during_an_upload_answers_it_or_says_why_but_never_closes_silently()
    {
        var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var body = new byte[1_000_000];
        var frame = RawFrame.Build($"{{\"op\":\"echo\",\"id\":1,\"data_size\":{body.Length}}}", body);

        await connection.SendAsync(frame.AsMemory(0, 1000));
        var stopping = server.Server.StopAsync();
        var upload = Task.Run(async () =>
        {
            try
            {
                await connection.SendAsync(frame.AsMemory(1000));
            }
            catch (IOException)
            {
                // The server may close once it has said why.
            }
        });
        var (first, _) = await connection.ReadReplyAsync();
        await upload;
        await stopping;
        await server.DisposeAsync();

        Assert.True(first.Ok || first.Error == "shutting_down", $"unexpected first frame: ok={first.Ok} error={first.Error}");
    }

    [Fact]
    public async Task An_error_sent_while_the_client_is_still_uploading_reaches_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        // Announces more than echo accepts and keeps sending the body regardless, as a careless client would.
        var upload = Task.Run(async () =>
        {
            try
            {
                await connection.SendAsync(RawFrame.Build("{\"op\":\"echo\",\"data_size\":3000000}", new byte[3_000_000]));
            }
            catch (IOException)
            {
                // The server closes once it has said why.
            }
        });
        var (error, _) = await connection.ReadReplyAsync();
        await upload;

        Assert.Equal("body_too_large", error.Error);
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_does_not_hold_its_slot_forever()
    {
        // The write deadline, not the (default, five-minute) idle timeout, is what frees the slot.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:WriteTimeout"] = "00:00:00.500" });
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (server.Server.OpenConnections != count)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    private static async Task WaitForFreeSlotAsync(TestServer server)
    {
        // The server releases the slot when it notices the close; poll its counter rather than sleep blindly.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (server.Server.OpenConnections >= server.Server.ConnectionLimit)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
