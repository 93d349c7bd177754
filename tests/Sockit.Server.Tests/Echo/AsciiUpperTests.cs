using System.Text;
using Sockit.Server.Echo;

namespace Sockit.Server.Tests.Echo;

public sealed class AsciiUpperTests
{
    [Theory]
    [InlineData("hello", "HELLO")]
    [InlineData("Mixed 123 az{}", "MIXED 123 AZ{}")]
    [InlineData("", "")]
    public void Ascii_letters_are_upper_cased(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);

        AsciiUpper.Apply(bytes);

        Assert.Equal(expected, Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Bytes_outside_ascii_letters_are_left_alone_as_the_tutorials_server_does()
    {
        var bytes = Encoding.UTF8.GetBytes("straße é 你好");
        var expected = Encoding.UTF8.GetBytes("STRAßE é 你好");

        AsciiUpper.Apply(bytes);

        Assert.Equal(expected, bytes);
    }
}
