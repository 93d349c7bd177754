using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using V = Sockit.Protocol.Tests.Auth.ScramTestVector;

namespace Sockit.Protocol.Tests.Auth;

public class ScramClientTests
{
    private static ScramClient Started()
    {
        var client = new ScramClient(V.User, V.Password, V.ClientNonce);
        client.CreateClientFirst();
        return client;
    }

    [Fact]
    public void Refuses_fewer_than_4096_iterations()
    {
        var error = Assert.Throws<SockitException>(() => Started().HandleServerFirst(V.ServerFirst.Replace("i=4096", "i=4095", StringComparison.Ordinal)));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Contains("4095", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_more_than_ten_million_iterations_so_a_hostile_server_cannot_spend_the_clients_cpu()
    {
        var error = Assert.Throws<SockitException>(() => Started().HandleServerFirst(V.ServerFirst.Replace("i=4096", "i=2147483647", StringComparison.Ordinal)));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Contains("2147483647", error.Message, StringComparison.Ordinal);
        Assert.Contains("10000000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    public void Refuses_a_server_nonce_that_does_not_extend_its_own(string serverFirst)
    {
        var error = Assert.Throws<SockitException>(() => Started().HandleServerFirst(serverFirst));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
    }

    [Fact]
    public void Refuses_a_wrong_server_signature()
    {
        var client = Started();
        client.HandleServerFirst(V.ServerFirst);

        var error = Assert.Throws<SockitException>(() => client.VerifyServerFinal("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Equal("the server's signature is wrong: it does not know the password (wrong server?)", error.Message);
    }

    [Fact]
    public void Refuses_a_server_signature_of_another_length()
    {
        var client = Started();
        client.HandleServerFirst(V.ServerFirst);

        var error = Assert.Throws<SockitException>(() => client.VerifyServerFinal("v=AAAA"));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
    }

    [Fact]
    public void A_server_error_attribute_is_auth_failed()
    {
        var client = Started();
        client.HandleServerFirst(V.ServerFirst);

        var error = Assert.Throws<SockitException>(() => client.VerifyServerFinal("e=invalid-proof"));

        Assert.Equal(SockitErrorCode.AuthFailed, error.Code);
        Assert.Contains("invalid-proof", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOxyz,i=4096", "should be 'r='")]
    [InlineData("m=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "mandatory extension")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==", "no 'i='")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=abc", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-4096", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999", "iteration count")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22Z*J0SNY7soEsUEjb6gQ==,i=4096", "not valid base64")]
    public void Malformed_server_first_is_invalid_argument(string serverFirst, string reason)
    {
        var error = Assert.Throws<SockitException>(() => Started().HandleServerFirst(serverFirst));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_server_final_is_invalid_argument()
    {
        var client = Started();
        client.HandleServerFirst(V.ServerFirst);

        var error = Assert.Throws<SockitException>(() => client.VerifyServerFinal("v=not base64"));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void Refuses_bad_arguments_up_front()
    {
        Assert.Throws<ArgumentException>(() => new ScramClient("", V.Password));
        Assert.Throws<ArgumentException>(() => new ScramClient(V.User, ""));
        Assert.Throws<ArgumentException>(() => new ScramClient(V.User, "bell\u0007"));
        Assert.Throws<ArgumentException>(() => new ScramClient(V.User, V.Password, "has,comma"));
    }
}
