using Sockit.Protocol.Auth;

namespace Sockit.Protocol.Tests.Auth;

public class SaslPrepTests
{
    [Theory]
    [InlineData("pencil", "pencil")]
    [InlineData("I\u00ADX", "IX")] // RFC 4013 section 3: soft hyphen mapped to nothing
    [InlineData("user", "user")]
    [InlineData("USER", "USER")] // case is preserved
    [InlineData("\u00AA", "a")] // RFC 4013 section 3: NFKC
    [InlineData("\u2168", "IX")] // RFC 4013 section 3: NFKC
    [InlineData("pass\u00A0word", "pass word")] // non-ASCII space
    [InlineData("pass\u3000word", "pass word")] // ideographic space
    [InlineData("pass\u200Bword", "pass word")] // in C.1.2 as well as B.1: a space, as in PostgreSQL
    [InlineData("a\uFE0Fb\u200Dc", "abc")] // variation selector and zero-width joiner mapped to nothing
    [InlineData("\uFB01", "fi")] // NFKC ligature
    [InlineData("e\u0301", "\u00E9")] // NFKC composes
    [InlineData("\U0001F600", "\U0001F600")] // astral characters pass through
    public void Maps_and_normalizes(string input, string expected)
    {
        Assert.Equal(expected, SaslPrep.Prepare(input));
    }

    [Theory]
    [InlineData("\u0007", "control")] // RFC 4013 section 3: prohibited
    [InlineData("tab\there", "control")]
    [InlineData("del\u007F", "control")]
    [InlineData("c1\u0085", "control")]
    [InlineData("lsep\u2028", "control")]
    [InlineData("pua\uE000", "private-use")]
    [InlineData("non\uFDD0char", "non-character")]
    [InlineData("non\uFFFF", "non-character")]
    [InlineData("repl\uFFFD", "plain text")]
    [InlineData("idc\u2FF0", "ideographic description")]
    [InlineData("lrm\u200E", "display properties")]
    [InlineData("tag\U000E0041", "tagging")]
    [InlineData("un\u0378assigned", "unassigned")]
    public void Rejects_prohibited_characters_naming_the_code_point(string input, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input, "password"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("U+", error.Message, StringComparison.Ordinal);
        Assert.Equal("password", error.ParamName);
    }

    // Built in code: xunit would turn a lone surrogate in an attribute argument into U+FFFD.
    [Theory]
    [InlineData("lone", 0xD800, "")]
    [InlineData("", 0xDC00, "lone")]
    [InlineData("a", 0xDBFF, "b")]
    public void Rejects_unpaired_surrogates(string before, int surrogate, string after)
    {
        var input = before + (char)surrogate + after;

        var error = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));

        Assert.Contains("unpaired surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equivalent_passwords_give_the_same_credentials()
    {
        var salt = new byte[16];

        var plain = ScramCredentials.Create("pass word", 4096, salt);
        var nbsp = ScramCredentials.Create("pass\u00A0word", 4096, salt);

        Assert.Equal(plain.StoredKey, nbsp.StoredKey);
        Assert.Equal(plain.ServerKey, nbsp.ServerKey);
    }

    [Fact]
    public void A_client_with_a_differently_written_password_logs_in()
    {
        var salt = new byte[16];
        var credentials = ScramCredentials.Create("\u2168", 4096, salt);
        var server = new ScramServer(_ => credentials, ScramTestVector.Secret);
        var client = new ScramClient("user", "IX");

        client.VerifyServerFinal(server.HandleClientFinal(client.HandleServerFirst(server.HandleClientFirst(client.CreateClientFirst()))));

        Assert.Equal("user", server.AuthenticatedUser);
    }
}
