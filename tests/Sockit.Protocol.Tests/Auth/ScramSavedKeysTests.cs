using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using V = Sockit.Protocol.Tests.Auth.ScramTestVector;

namespace Sockit.Protocol.Tests.Auth;

public sealed class ScramSavedKeysTests
{
    private static ScramClientKeys KeysFromPasswordLogin()
    {
        var client = new ScramClient(V.User, V.Password, V.ClientNonce);
        var server = V.NewServer();
        client.VerifyServerFinal(server.HandleClientFinal(client.HandleServerFirst(server.HandleClientFirst(client.CreateClientFirst()))));
        return client.Keys!;
    }

    [Fact]
    public void Saved_keys_reproduce_the_rfc_7677_proof_without_the_password()
    {
        var client = new ScramClient(V.User, KeysFromPasswordLogin(), V.ClientNonce);
        var server = V.NewServer();

        var clientFinal = client.HandleServerFirst(server.HandleClientFirst(client.CreateClientFirst()));
        Assert.Equal(V.ClientFinal, clientFinal);
        client.VerifyServerFinal(server.HandleClientFinal(clientFinal));
        Assert.Equal(V.User, server.AuthenticatedUser);
    }

    [Fact]
    public void Saved_keys_for_another_salt_say_to_log_in_again()
    {
        var stale = KeysFromPasswordLogin() with { Salt = new byte[16] };
        var client = new ScramClient(V.User, stale, V.ClientNonce);
        client.CreateClientFirst();

        var error = Assert.Throws<SockitException>(() => client.HandleServerFirst(V.ServerFirst));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Contains("log in again", error.Message, StringComparison.Ordinal);
    }
}
