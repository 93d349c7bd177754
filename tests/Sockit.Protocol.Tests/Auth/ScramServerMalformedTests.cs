using Sockit.Protocol.Errors;
using V = Sockit.Protocol.Tests.Auth.ScramTestVector;

namespace Sockit.Protocol.Tests.Auth;

public class ScramServerMalformedTests
{
    private const string Nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string Proof = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    [Theory]
    [InlineData("", "gs2 header")]
    [InlineData("n,,r=rOprNGfwEbeRWgbNEkqO,n=user", "should be 'n='")]
    [InlineData("n,,n=user", "no 'r='")]
    [InlineData("n,,m=ext,n=user,r=rOprNGfwEbeRWgbNEkqO", "mandatory extension")]
    [InlineData("n,,n=us=2Xer,r=rOprNGfwEbeRWgbNEkqO", "'=2C' or '=3D'")]
    [InlineData("n,,n=user=,r=rOprNGfwEbeRWgbNEkqO", "'=2C' or '=3D'")]
    [InlineData("n,,n=,r=rOprNGfwEbeRWgbNEkqO", "user name is empty")]
    [InlineData("p=tls-unique,,n=user,r=rOprNGfwEbeRWgbNEkqO", "channel binding")]
    [InlineData("n,a=admin,n=user,r=rOprNGfwEbeRWgbNEkqO", "authorization identity")]
    [InlineData("x,,n=user,r=rOprNGfwEbeRWgbNEkqO", "gs2 header")]
    [InlineData("n=user,r=rOprNGfwEbeRWgbNEkqO", "gs2 header")]
    [InlineData("n,,n=user,r=has space", "printable")]
    [InlineData("n,,n=user,,r=rOprNGfwEbeRWgbNEkqO", "'x=value'")]
    [InlineData("n,,n=user,r=abc\0", "NUL")]
    [InlineData("n,,n=user,r=", "client nonce is empty")]
    public void Malformed_client_first_is_invalid_argument(string clientFirst, string reason)
    {
        var error = Assert.Throws<SockitException>(() => V.NewServer().HandleClientFirst(clientFirst));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_after_the_nonce_are_ignored()
    {
        var server = V.NewServer();

        // The extension is part of client-first-message-bare, so it is also part of the AuthMessage: only the
        // shape of the reply is checked here.
        Assert.Equal(V.ServerFirst, server.HandleClientFirst(V.ClientFirst + ",x=whatever"));
    }

    [Theory]
    [InlineData("c=biws,r=" + Nonce, "no proof")]
    [InlineData("c=biws,r=" + Nonce + ",p=not base64!", "not valid base64")]
    [InlineData("c=biws,r=" + Nonce + ",p=dHzb ZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "not valid base64")]
    [InlineData("c=biws,r=" + Nonce + ",p=AAAA", "32 bytes")]
    [InlineData("c=bi ws,r=" + Nonce + ",p=" + Proof, "not valid base64")]
    [InlineData("r=" + Nonce + ",c=biws,p=" + Proof, "should be 'c='")]
    [InlineData("c=biws,p=" + Proof + ",r=" + Nonce, "should be 'r='")]
    [InlineData("c=biws,r=" + Nonce + ",p=" + Proof + ",x=trailing", "should be 'p='")]
    public void Malformed_client_final_is_invalid_argument(string clientFinal, string reason)
    {
        var server = V.NewServer();
        server.HandleClientFirst(V.ClientFirst);

        var error = Assert.Throws<SockitException>(() => server.HandleClientFinal(clientFinal));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_refuses_a_short_secret_a_bad_nonce_and_few_iterations()
    {
        Assert.Throws<ArgumentException>(() => new Protocol.Auth.ScramServer(_ => null, new byte[15]));
        Assert.Throws<ArgumentException>(() => new Protocol.Auth.ScramServer(_ => null, V.Secret, "a,b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Protocol.Auth.ScramServer(_ => null, V.Secret, null, 4095));
    }
}
