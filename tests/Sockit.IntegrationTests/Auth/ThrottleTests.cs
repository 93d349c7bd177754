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
