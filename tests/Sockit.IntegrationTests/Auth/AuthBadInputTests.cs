using Sockit.IntegrationTests.Framed;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Messages;
using Sockit.Server.Accounts;

namespace Sockit.IntegrationTests.Auth;

public sealed class AuthBadInputTests
{
    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"op":"auth","id":1}""", "needs a mechanism" },
        { """{"op":"auth","id":1,"mechanism":"PLAIN"}""", "unknown mechanism 'PLAIN'" },
        { """{"op":"auth","id":1,"mechanism":"SCRAM-SHA-256"}""", "'sasl'" },
        { """{"op":"auth","id":1,"mechanism":"SCRAM-SHA-256","sasl":"c=biws,r=abc,p=AAAA"}""", "send the client-first message first" },
        { """{"op":"auth","id":1,"mechanism":"SCRAM-SHA-256","sasl":"n,,garbage"}""", "" },
        { """{"op":"auth","id":1,"mechanism":"HMAC-SHA256","response":"00"}""", "needs 'user'" },
        { """{"op":"auth","id":1,"mechanism":"HMAC-SHA256","user":"alice","response":"not hex"}""", "64 hex digits" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_malformed_login_answers_invalid_argument_and_the_connection_stays_usable(string header, string says)
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build(header));
        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal("invalid_argument", reply.Error);
        Assert.Contains(says, reply.Message, StringComparison.Ordinal);
        await BadInputTests.AssertServesEchoAsync(connection);
    }

    [Fact]
    public async Task A_second_login_on_a_logged_in_connection_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        server.Users.Add("deploy", null, Permissions.None);
        var key = server.Users.IssueKey("deploy");
        await using var connection = await FrameConnection.OpenAsync(server.Framed, readHello: false);
        var (hello, _) = await connection.ReadAsync(SockitJsonContext.Default.HelloMessage);
        var answer = Convert.ToHexStringLower(HmacChallenge.ComputeResponse(key.Secret, Convert.FromBase64String(hello.Nonce)));
        await connection.SendAsync(new AuthRequest { Id = 1, Mechanism = AuthMechanisms.HmacSha256, User = "deploy", Response = answer }, SockitJsonContext.Default.AuthRequest);
        Assert.True((await connection.ReadReplyAsync()).Header.Ok);

        await connection.SendAsync(new AuthRequest { Id = 2, Mechanism = AuthMechanisms.HmacSha256 }, SockitJsonContext.Default.AuthRequest);
        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal("invalid_argument", reply.Error);
        Assert.Contains("already logged in as 'deploy'", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auth_request_with_a_body_is_refused_before_the_body_is_read()
    {
        await using var server = await TestServer.StartAsync();
        await using var connection = await FrameConnection.OpenAsync(server.Framed);

        await connection.SendAsync(RawFrame.Build("""{"op":"auth","id":1,"mechanism":"HMAC-SHA256","data_size":10}"""));
        var (reply, _) = await connection.ReadReplyAsync();

        Assert.Equal("body_too_large", reply.Error);
        await connection.AssertClosedByServerAsync();
    }
}
