using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using V = Sockit.Protocol.Tests.Auth.ScramTestVector;

namespace Sockit.Protocol.Tests.Auth;

public class ScramExchangeTests
{
    [Fact]
    public void Rfc7677_test_vector_byte_for_byte()
    {
        var client = new ScramClient(V.User, V.Password, V.ClientNonce);
        var server = V.NewServer();

        var clientFirst = client.CreateClientFirst();
        Assert.Equal(V.ClientFirst, clientFirst);

        var serverFirst = server.HandleClientFirst(clientFirst);
        Assert.Equal(V.ServerFirst, serverFirst);

        var clientFinal = client.HandleServerFirst(serverFirst);
        Assert.Equal(V.ClientFinal, clientFinal);

        var serverFinal = server.HandleClientFinal(clientFinal);
        Assert.Equal(V.ServerFinal, serverFinal);

        client.VerifyServerFinal(serverFinal);
        Assert.Equal("user", server.AuthenticatedUser);
    }

    [Fact]
    public void Random_nonces_complete_an_exchange()
    {
        var client = new ScramClient(V.User, V.Password);
        var server = V.NewServer(serverNonce: null);

        var clientFirst = client.CreateClientFirst();
        var serverFirst = server.HandleClientFirst(clientFirst);
        client.VerifyServerFinal(server.HandleClientFinal(client.HandleServerFirst(serverFirst)));

        Assert.Equal("user", server.AuthenticatedUser);
        // 18 random bytes are 24 base64 characters, for each side.
        Assert.Matches("^n,,n=user,r=[A-Za-z0-9+/]{24}$", clientFirst);
        Assert.Matches("^r=[A-Za-z0-9+/]{48},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096$", serverFirst);
    }

    [Fact]
    public void Wrong_password_fails_with_auth_failed_and_no_user()
    {
        var client = new ScramClient(V.User, "pencil2", V.ClientNonce);
        var server = V.NewServer();

        var clientFinal = client.HandleServerFirst(server.HandleClientFirst(client.CreateClientFirst()));
        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(clientFinal));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Equal("authentication failed", error.Message);
        Assert.Null(server.AuthenticatedUser);
    }

    [Fact]
    public void Unknown_user_gets_a_normal_looking_server_first_then_the_same_failure()
    {
        var client = new ScramClient("nobody", V.Password, V.ClientNonce);
        var server = V.NewServer();

        var serverFirst = server.HandleClientFirst(client.CreateClientFirst());
        Assert.Matches(@"^r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj\)hNlF\$k0,s=[A-Za-z0-9+/]{22}==,i=4096$", serverFirst);

        var clientFinal = client.HandleServerFirst(serverFirst);
        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(clientFinal));
        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Equal("authentication failed", error.Message);
        Assert.Null(server.AuthenticatedUser);
    }

    [Fact]
    public void Unknown_user_salt_is_stable_per_name_and_secret()
    {
        static string SaltFor(string user, string secret) =>
            new ScramServer(_ => null, System.Text.Encoding.ASCII.GetBytes(secret), "servernonce")
                .HandleClientFirst($"n,,n={user},r=clientnonce")
                .Split(',')[1];

        const string Secret = "0123456789abcdef0123";
        Assert.Equal(SaltFor("nobody", Secret), SaltFor("nobody", Secret));
        Assert.NotEqual(SaltFor("nobody", Secret), SaltFor("somebody", Secret));
        Assert.NotEqual(SaltFor("nobody", Secret), SaltFor("nobody", "another secret, 16+ bytes"));
    }

    [Fact]
    public void Replayed_client_final_fails_on_a_new_server()
    {
        var first = V.NewServer(serverNonce: null);
        var client = new ScramClient(V.User, V.Password);
        var clientFirst = client.CreateClientFirst();
        var clientFinal = client.HandleServerFirst(first.HandleClientFirst(clientFirst));
        first.HandleClientFinal(clientFinal);

        var second = V.NewServer(serverNonce: null);
        second.HandleClientFirst(clientFirst);
        var error = Assert.Throws<SockitException>(() => second.HandleClientFinal(clientFinal));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Null(second.AuthenticatedUser);
    }

    [Fact]
    public void Tampered_nonce_fails_even_with_a_proof_that_matches_it()
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);
        const string WithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k1";

        var forged = V.ForgeClientFinal("n=user,r=rOprNGfwEbeRWgbNEkqO", V.ServerFirst, WithoutProof);
        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(forged));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Equal("authentication failed", error.Message);
    }

    [Fact]
    public void Tampered_channel_binding_fails_even_with_a_proof_that_matches_it()
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);
        // "eSws" is base64 of "y,,": not the gs2 header this client sent.
        const string WithoutProof = "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

        var forged = V.ForgeClientFinal("n=user,r=rOprNGfwEbeRWgbNEkqO", V.ServerFirst, WithoutProof);
        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(forged));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
    }

    [Fact]
    public void Forged_client_final_with_the_right_values_is_accepted_so_the_tamper_tests_test_the_checks()
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);
        const string WithoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

        var forged = V.ForgeClientFinal("n=user,r=rOprNGfwEbeRWgbNEkqO", V.ServerFirst, WithoutProof);

        Assert.Equal(V.ClientFinal, forged);
        Assert.Equal(V.ServerFinal, server.HandleClientFinal(forged));
    }

    [Fact]
    public void Tampered_proof_fails()
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);
        var tampered = V.ClientFinal.Replace("p=dHzb", "p=dHzc", StringComparison.Ordinal);

        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(tampered));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
    }

    [Fact]
    public void A_y_gs2_header_binds_to_eSws()
    {
        var server = V.NewServer();
        server.HandleClientFirst("y,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        const string WithoutProof = "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

        server.HandleClientFinal(V.ForgeClientFinal("n=user,r=rOprNGfwEbeRWgbNEkqO", V.ServerFirst, WithoutProof));

        Assert.Equal("user", server.AuthenticatedUser);
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("x=y")]
    [InlineData("=2C,=,,")]
    [InlineData("ünï cødé")]
    public void User_names_with_commas_and_equals_signs_round_trip(string user)
    {
        string? looked = null;
        var server = new ScramServer(
            name =>
            {
                looked = name;
                return name == user ? V.Credentials : null;
            },
            V.Secret);
        var client = new ScramClient(user, V.Password);

        var clientFirst = client.CreateClientFirst();
        client.VerifyServerFinal(server.HandleClientFinal(client.HandleServerFirst(server.HandleClientFirst(clientFirst))));

        Assert.Equal(user, looked);
        Assert.Equal(user, server.AuthenticatedUser);
        Assert.Equal(4, clientFirst.Split(',').Length);
    }

    [Fact]
    public void Messages_out_of_order_are_refused()
    {
        var server = V.NewServer();
        Assert.Throws<InvalidOperationException>(() => server.HandleClientFinal(V.ClientFinal));

        var client = new ScramClient(V.User, V.Password, V.ClientNonce);
        Assert.Throws<InvalidOperationException>(() => client.HandleServerFirst(V.ServerFirst));
    }

    [Fact]
    public void A_failed_server_cannot_be_used_again()
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);
        Assert.Throws<SockitException>(() => server.HandleClientFinal(V.ClientFinal.Replace("p=dHzb", "p=dHzc", StringComparison.Ordinal)));

        Assert.Throws<InvalidOperationException>(() => server.HandleClientFinal(V.ClientFinal));
    }
}
