using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Tests.Auth;

public class SaslNameTests
{
    [Theory]
    [InlineData("user", "user")]
    [InlineData("a,b", "a=2Cb")]
    [InlineData("a=b", "a=3Db")]
    [InlineData("=2C", "=3D2C")]
    [InlineData(",=,", "=2C=3D=2C")]
    public void Escapes_and_unescapes(string name, string escaped)
    {
        Assert.Equal(escaped, SaslName.Escape(name));
        Assert.Equal(name, SaslName.Unescape(escaped));
    }

    [Fact]
    public void Lower_case_escapes_are_accepted()
    {
        Assert.Equal("a,b=c", SaslName.Unescape("a=2cb=3dc"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=")]
    [InlineData("a=2")]
    [InlineData("a=2D")]
    [InlineData("=3")]
    public void Bad_escapes_are_invalid_argument(string escaped)
    {
        var error = Assert.Throws<SockitException>(() => SaslName.Unescape(escaped));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nul\0")]
    public void Empty_or_nul_names_cannot_be_escaped(string name)
    {
        Assert.Throws<ArgumentException>(() => SaslName.Escape(name));
    }
}
