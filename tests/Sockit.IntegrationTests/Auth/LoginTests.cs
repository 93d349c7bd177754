using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Auth;

public sealed class LoginTests
{
    [Fact]
    public async Task Hello_lists_the_mechanisms_and_what_is_allowed_anonymously()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        Assert.Equal([AuthMechanisms.ScramSha256, AuthMechanisms.HmacSha256], client.Hello.Auth);
        Assert.Equal(["echo", "time"], client.Hello.AnonymousOps);
        Assert.Contains("auth", client.Hello.Ops);
        Assert.Contains("whoami", client.Hello.Ops);
    }

    [Fact]
    public async Task Password_login_gives_the_accounts_permissions_and_proves_the_server()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "correct horse", Permissions.Exec | Permissions.Files);

        await using var client = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword("alice", "correct horse") });

        Assert.Equal(new SockitUser("alice", ["exec", "files"]).Name, client.User!.Name);
        Assert.Equal(["exec", "files"], client.User.Permissions);
        var whoami = await client.WhoAmIAsync();
        Assert.Equal("alice", whoami.User);
        Assert.NotNull(client.DerivedKeys);
        Assert.Contains(server.Log.Entries, e => e.Event.Id == 1100 && e.Message.Contains("alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saved_keys_log_in_without_the_password_until_it_changes()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "first password", Permissions.Files);
        ScramClientKeys keys;
        await using (var first = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromPassword("alice", "first password") }))
        {
            keys = first.DerivedKeys!;
        }

        await using (var again = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromSavedKeys("alice", keys) }))
        {
            Assert.Equal("alice", again.User!.Name);
        }

        server.Users.SetPassword("alice", "second password");
        var stale = await Assert.ThrowsAsync<SockitException>(() => SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromSavedKeys("alice", keys) }));
        Assert.Equal(SockitErrorCode.AuthFailed, stale.Code);
        Assert.Contains("log in again", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_answer_and_the_connection_stays_usable()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "correct horse", Permissions.Exec);
        await using var client = await SockitClient.ConnectAsync(server.Framed);

        var wrong = await Assert.ThrowsAsync<SockitRemoteException>(
            () => client.LoginAsync(SockitCredentials.FromPassword("alice", "battery staple")));
        var unknown = await Assert.ThrowsAsync<SockitRemoteException>(
            () => client.LoginAsync(SockitCredentials.FromPassword("mallory", "battery staple")));

        Assert.Equal(SockitErrorCode.AuthFailed, wrong.Code);
        Assert.Equal(wrong.Code, unknown.Code);
        Assert.Equal(wrong.Message, unknown.Message);
        Assert.Null(client.User);
        Assert.Equal("HELLO", await client.EchoAsync("hello", upper: true));

        // Both failures are logged as warnings with the client's address.
        var failures = server.Log.Entries.Where(e => e.Event.Id == 1101).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_users_challenge_looks_like_a_real_one_and_stays_the_same()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "correct horse", Permissions.None);

        var real = await ServerFirstAsync(server, "alice");
        var fake = await ServerFirstAsync(server, "mallory");
        var fakeAgain = await ServerFirstAsync(server, "mallory");

        Assert.Equal(Salt(real).Length, Salt(fake).Length);
        Assert.Equal(Iterations(real), Iterations(fake));
        Assert.Equal(Salt(fake), Salt(fakeAgain));

        static string Salt(string serverFirst) => serverFirst.Split(',')[1];
        static string Iterations(string serverFirst) => serverFirst.Split(',')[2];
    }

    [Fact]
    public async Task An_account_with_an_unusual_iteration_count_answers_like_unknown_names()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "correct horse", Permissions.None, iterations: 10000);
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        var counts = new List<string>();
        foreach (var name in new[] { "alice", "mallory", "bob", "root" })
        {
            counts.Add((await ServerFirstAsync(connection, name)).Split(',')[2]);
        }

        Assert.Equal(["i=10000", "i=10000", "i=10000", "i=10000"], counts);
    }

    [Fact]
    public async Task Unknown_names_show_the_accounts_iteration_counts_each_name_always_the_same_one()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("alice", "correct horse", Permissions.None);
        server.Users.Add("bob", "battery staple", Permissions.None, iterations: 10000);
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        var names = Enumerable.Range(0, 40).Select(i => "nobody" + i).ToList();

        var first = new List<string>();
        var again = new List<string>();
        foreach (var name in names)
        {
            first.Add((await ServerFirstAsync(connection, name)).Split(',')[2]);
        }

        foreach (var name in names)
        {
            again.Add((await ServerFirstAsync(connection, name)).Split(',')[2]);
        }

        // Half the accounts use each count, so both show up among 40 unknown names (all alike has odds of 2^-39).
        Assert.Equal(["i=10000", "i=4096"], first.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Key_login_answers_the_hello_nonce_and_then_fresh_challenges()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("deploy", null, Permissions.Files);
        var key = server.Users.IssueKey("deploy");

        await using var client = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromKey("deploy", key.Secret) });
        Assert.Equal("deploy", client.User!.Name);

        // A second connection logs in after a failed attempt: the failure spent the hello's nonce, the retry asks for a new one.
        await using var other = await SockitClient.ConnectAsync(server.Framed);
        await Assert.ThrowsAsync<SockitRemoteException>(() => other.LoginAsync(SockitCredentials.FromKey("deploy", new byte[32])));
        await other.LoginAsync(SockitCredentials.FromKey("deploy", key.Secret));
        Assert.Equal("deploy", other.User!.Name);
    }

    [Fact]
    public async Task A_nonce_answers_one_attempt_only_even_with_the_right_key()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("deploy", null, Permissions.Files);
        var key = server.Users.IssueKey("deploy");
        await using var connection = await FrameConnection.OpenAsync(server.Framed, readHello: false);
        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
        var answer = Convert.ToHexStringLower(HmacChallenge.ComputeResponse(key.Secret, Convert.FromBase64String(hello.Nonce)));

        await connection.SendAsync(new AuthRequest { Id = 1, Mechanism = AuthMechanisms.HmacSha256, User = "deploy", Response = new string('0', 64) }, SockitJsonContext.Default.AuthRequest);
        Assert.Equal("auth_failed", (await connection.ReadReplyAsync()).Header.Error);

        // The right answer to the spent nonce is refused: it could be a replay.
        await connection.SendAsync(new AuthRequest { Id = 2, Mechanism = AuthMechanisms.HmacSha256, User = "deploy", Response = answer }, SockitJsonContext.Default.AuthRequest);
        Assert.Equal("auth_failed", (await connection.ReadReplyAsync()).Header.Error);
    }

    [Fact]
    public async Task A_recorded_answer_does_not_log_in_on_another_connection()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("deploy", null, Permissions.Files);
        var key = server.Users.IssueKey("deploy");

        await using var victim = await FrameConnection.OpenAsync(server.Framed, readHello: false);
        var (hello, _) = await victim.ReadAsync(SockitJsonContext.Default.HelloMessage);
        var recorded = new AuthRequest
        {
            Id = 1,
            Mechanism = AuthMechanisms.HmacSha256,
            User = "deploy",
            Response = Convert.ToHexStringLower(HmacChallenge.ComputeResponse(key.Secret, Convert.FromBase64String(hello.Nonce))),
        };
        await victim.SendAsync(recorded, SockitJsonContext.Default.AuthRequest);
        Assert.True((await victim.ReadReplyAsync()).Header.Ok);

        await using var attacker = await FrameConnection.OpenAsync(server.Framed);
        await attacker.SendAsync(recorded, SockitJsonContext.Default.AuthRequest);
        Assert.Equal("auth_failed", (await attacker.ReadReplyAsync()).Header.Error);
    }

    private static async Task<string> ServerFirstAsync(TestServer server, string user)
    {
        await using var connection = await FrameConnection.OpenAsync(server.Framed);
        return await ServerFirstAsync(connection, user);
    }

    /// <summary>Starts a SCRAM login as <paramref name="user"/> and returns the server-first message (a new client-first starts over).</summary>
    private static async Task<string> ServerFirstAsync(FrameConnection connection, string user)
    {
        await connection.SendAsync(
            new AuthRequest { Id = 1, Mechanism = AuthMechanisms.ScramSha256, Sasl = $"n,,n={user},r=abcdefghijklmnop" },
            SockitJsonContext.Default.AuthRequest);
        var (reply, _) = await connection.ReadAsync(SockitJsonContext.Default.AuthReply);
        Assert.False(reply.Done);
        return reply.Sasl!;
    }
}
