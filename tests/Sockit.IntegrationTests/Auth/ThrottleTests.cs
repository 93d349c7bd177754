using System.Net;
using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Auth;

public sealed class ThrottleTests
{
    private static readonly Dictionary<string, string?> StrictLimits = new()
    {
        ["Sockit:Auth:FreeFailures"] = "1",
        ["Sockit:Auth:FailureDelay"] = "00:00:00.010",
        ["Sockit:Auth:LockoutFailures"] = "3",
        ["Sockit:Auth:LockoutDuration"] = "01:00:00",
    };

    [Fact]
    public async Task Repeated_failures_lock_out_even_the_right_password()
    {
        await using var server = await TestServer.StartAsync(StrictLimits);
        server.Users.Add("alice", "correct horse", Permissions.None);
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        for (int i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<SockitRemoteException>(
                () => client.LoginAsync(SockitCredentials.FromPassword("alice", "guess " + i)));
            Assert.Equal(SockitErrorCode.AuthFailed, failed.Code);
        }

        var locked = await Assert.ThrowsAsync<SockitRemoteException>(
            () => client.LoginAsync(SockitCredentials.FromPassword("alice", "correct horse")));

        Assert.Equal(SockitErrorCode.AuthLocked, locked.Code);
        Assert.Contains("try again in", locked.Message, StringComparison.Ordinal);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1102 && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scram_logins_started_before_the_lockout_are_refused_at_their_proof_once_it_locks()
    {
        // An attacker opens many SCRAM logins while nothing is locked yet, then sends every proof: only the failures
        // up to the lockout may be tried, not one per connection.
        await using var server = await TestServer.StartAsync(StrictLimits);
        server.Users.Add("alice", "correct horse", Permissions.None);
        var started = new List<(FrameConnection Connection, Protocol.Auth.ScramClient Scram, string ServerFirst)>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var connection = await FrameConnection.OpenAsync(server.Framed);
                var scram = new Protocol.Auth.ScramClient("alice", "guess " + i);
                await connection.SendAsync(
                    new Protocol.Messages.AuthRequest { Id = 1, Mechanism = Protocol.Auth.AuthMechanisms.ScramSha256, Sasl = scram.CreateClientFirst() },
                    Protocol.Messages.SockitJsonContext.Default.AuthRequest);
                var (_, first) = await connection.ReadReplyAsync(Protocol.Messages.SockitJsonContext.Default.AuthReply);
                started.Add((connection, scram, first.Sasl!));
            }

            var answers = new List<string?>();
            foreach (var (connection, scram, serverFirst) in started)
            {
                await connection.SendAsync(
                    new Protocol.Messages.AuthRequest { Id = 2, Mechanism = Protocol.Auth.AuthMechanisms.ScramSha256, Sasl = scram.HandleServerFirst(serverFirst) },
                    Protocol.Messages.SockitJsonContext.Default.AuthRequest);
                answers.Add((await connection.ReadReplyAsync()).Header.Error);
            }

            Assert.Equal(["auth_failed", "auth_failed", "auth_failed", "auth_locked", "auth_locked", "auth_locked", "auth_locked", "auth_locked"], answers);
        }
        finally
        {
            foreach (var (connection, _, _) in started)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Failures_from_one_address_do_not_lock_the_user_out_from_another()
    {
        // Real lockout count (10); short delays only so the test does not wait them out.
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sockit:Auth:FreeFailures"] = "1",
            ["Sockit:Auth:FailureDelay"] = "00:00:00.010",
            ["Sockit:Auth:MaxFailureDelay"] = "00:00:00.050",
            ["Sockit:Auth:LockoutDuration"] = "01:00:00",
        });
        server.Users.Add("alice", "correct horse", Permissions.None);
        await using var attacker = await FrameConnection.OpenAsync(server.Framed, localAddress: IPAddress.Loopback);

        var answers = new List<string?>();
        for (int i = 0; i < 12; i++)
        {
            answers.Add((await attacker.LoginWithPasswordAsync("alice", "guess " + i)).Error);
        }

        await using var owner = await FrameConnection.OpenAsync(server.Framed, localAddress: IPAddress.Parse("127.0.0.2"));
        var login = await owner.LoginWithPasswordAsync("alice", "correct horse");
        var attackerAgain = await attacker.LoginWithPasswordAsync("alice", "correct horse");

        Assert.Equal([.. Enumerable.Repeat("auth_failed", 10), "auth_locked", "auth_locked"], answers);
        Assert.True(login.Ok, login.Message);
        Assert.Equal("auth_locked", attackerAgain.Error);
        Assert.Contains("from this address", attackerAgain.Message, StringComparison.Ordinal);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1100 && e.Message.Contains("127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_address_guessing_many_names_is_locked_out_for_every_name()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>(StrictLimits)
        {
            ["Sockit:Auth:AddressLockoutFailures"] = "4",
        });
        server.Users.Add("alice", "correct horse", Permissions.None);
        await using var client = await FrameConnection.OpenAsync(server.Framed);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal("auth_failed", (await client.LoginWithPasswordAsync("user" + i, "guess")).Error);
        }

        Assert.Equal("auth_locked", (await client.LoginWithPasswordAsync("alice", "correct horse")).Error);
    }

    [Fact]
    public async Task Unknown_names_lock_out_the_same_way_as_real_ones()
    {
        await using var server = await TestServer.StartAsync(StrictLimits);
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SockitRemoteException>(() => client.LoginAsync(SockitCredentials.FromPassword("nobody", "guess")));
        }

        var locked = await Assert.ThrowsAsync<SockitRemoteException>(
            () => client.LoginAsync(SockitCredentials.FromPassword("nobody", "guess")));
        Assert.Equal(SockitErrorCode.AuthLocked, locked.Code);
    }

    [Fact]
    public async Task Key_guessing_is_throttled_like_passwords()
    {
        await using var server = await TestServer.StartAsync(StrictLimits);
        server.Users.Add("deploy", null, Permissions.None);
        var key = server.Users.IssueKey("deploy");
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SockitRemoteException>(() => client.LoginAsync(SockitCredentials.FromKey("deploy", new byte[32])));
        }

        var locked = await Assert.ThrowsAsync<SockitRemoteException>(() => client.LoginAsync(SockitCredentials.FromKey("deploy", key.Secret)));
        Assert.Equal(SockitErrorCode.AuthLocked, locked.Code);
    }
}
