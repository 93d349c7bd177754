using Sockit.IntegrationTests.Framed;
using Microsoft.Extensions.DependencyInjection;
using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;
using Sockit.Server.Sessions;

namespace Sockit.IntegrationTests.Auth;

public sealed class AccessTests
{
    private static Task<TestServer> StartWithExecProbeAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(overrides, configureServices: services => services.AddSockitOperation<ExecProbeOperation>());

    private static Task<TimeReply> ProbeAsync(SockitClient client) =>
        client.RequestAsync(
            id => new TimeRequest { Id = id, Op = ExecProbeOperation.OpName },
            SockitJsonContext.Default.TimeRequest,
            SockitJsonContext.Default.TimeReply);

    [Fact]
    public async Task Anonymous_connections_get_echo_and_time_but_nothing_else()
    {
        await using var server = await StartWithExecProbeAsync();
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        Assert.Equal("HI", await client.EchoAsync("hi", upper: true));
        Assert.NotEmpty(await client.TimeAsync());
        var refused = await Assert.ThrowsAsync<SockitRemoteException>(() => ProbeAsync(client));

        Assert.Equal(SockitErrorCode.Unauthenticated, refused.Code);
        Assert.Contains("echo, time", refused.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_user_without_the_permission_is_forbidden_and_one_with_it_is_served()
    {
        await using var server = await StartWithExecProbeAsync();
        server.Users.Add("viewer", "viewer password", Permissions.Files);
        server.Users.Add("operator", "operator password", Permissions.Exec);

        await using var viewer = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword("viewer", "viewer password") });
        var forbidden = await Assert.ThrowsAsync<SockitRemoteException>(() => ProbeAsync(viewer));
        Assert.Equal(SockitErrorCode.Forbidden, forbidden.Code);
        Assert.Contains("exec", forbidden.Message, StringComparison.Ordinal);

        await using var operatorClient = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword("operator", "operator password") });
        Assert.Equal("ran", (await ProbeAsync(operatorClient)).Time);
    }

    [Fact]
    public async Task The_anonymous_list_is_configurable_down_to_nothing()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Auth:AnonymousOps:0"] = "time" });
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        Assert.Equal(["time"], client.Hello.AnonymousOps);
        var refused = await Assert.ThrowsAsync<SockitRemoteException>(() => client.EchoAsync("hi"));
        Assert.Equal(SockitErrorCode.Unauthenticated, refused.Code);
        Assert.NotEmpty(await client.TimeAsync());
    }

    [Fact]
    public async Task A_refused_request_with_a_body_leaves_the_connection_in_step()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Auth:AnonymousOps:0"] = "time" });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(new EchoRequest { Id = 1, DataSize = 5 }, SockitJsonContext.Default.EchoRequest, "hello"u8.ToArray());
        await connection.SendAsync(new TimeRequest { Id = 2 }, SockitJsonContext.Default.TimeRequest);

        Assert.Equal("unauthenticated", (await connection.ReadReplyAsync()).Header.Error);
        var (time, _) = await connection.ReadAsync(SockitJsonContext.Default.TimeReply);
        Assert.Equal(2, time.Id);
    }

    [Fact]
    public async Task An_anonymous_connection_that_does_not_log_in_in_time_is_closed_with_login_timeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Auth:LoginTimeout"] = "00:00:00.300" });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal("login_timeout", reply.Error);
        await connection.AssertClosedByServerAsync();
    }

    [Fact]
    public async Task A_connection_that_uses_an_anonymous_operation_is_not_held_to_the_login_deadline_only_to_the_idle_timeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Auth:LoginTimeout"] = "00:00:00.200",
            ["Sockit:IdleTimeout"] = "00:00:01.500",
        });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        await BadInputTests.AssertServesEchoAsync(connection);

        // What the server says next, after the client falls silent, is why it closes.
        var (reason, _) = await connection.ReadReplyAsync();

        Assert.Equal("idle_timeout", reason.Error);
    }

    [Fact]
    public async Task Refused_requests_do_not_extend_the_login_deadline()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Auth:LoginTimeout"] = "00:00:00.500",
            ["Sockit:Auth:AnonymousOps:0"] = "time",
        });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        // Keep sending refused requests; the deadline still closes the connection.
        string? last;
        do
        {
            await connection.SendAsync(new EchoRequest { Id = 1 }, SockitJsonContext.Default.EchoRequest);
            last = (await connection.ReadReplyAsync()).Header.Error;
        }
        while (last == "unauthenticated");

        Assert.Equal("login_timeout", last);
    }

    [Fact]
    public async Task A_refused_body_trickled_a_byte_at_a_time_does_not_outlast_the_login_deadline()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Auth:LoginTimeout"] = "00:00:01",
            ["Sockit:Auth:AnonymousOps:0"] = "time",
        });
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        // The head alone: the body it announces follows below.
        await connection.SendAsync(RawFrame.Build("""{"op":"echo","id":1,"data_size":100000}"""));
        Assert.Equal("unauthenticated", (await connection.ReadReplyAsync()).Header.Error);

        // The attack: one byte of the refused body at a time, each well within the idle timeout. The deadline must
        // still close the connection, about a second after it opened, not whenever the body ends.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var reply = connection.ReadReplyAsync();
        while (!reply.IsCompleted && started.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                await connection.SendAsync(new byte[] { 0 });
            }
            catch (IOException)
            {
                break; // closed under the sender
            }

            await Task.WhenAny(reply, Task.Delay(100));
        }

        Assert.Equal("login_timeout", (await reply).Header.Error);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"closed after {started.Elapsed}");
    }

    [Fact]
    public async Task A_logged_in_connection_is_not_held_to_the_login_deadline()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Auth:LoginTimeout"] = "00:00:00.200" });
        server.Users.Add("alice", "correct horse", Permissions.None);
        await using var client = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword("alice", "correct horse") });

        // Idle for several login deadlines: only the (long) idle timeout applies once logged in.
        await Task.Delay(TimeSpan.FromMilliseconds(800));

        Assert.Equal("still here", await client.EchoAsync("still here"));
    }
}
