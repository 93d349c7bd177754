using Sockit.Protocol.Text;

namespace Sockit.Protocol.Tests.Text;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("\u001b[31mred\u001b[0m", @"\u001b[31mred\u001b[0m")]
    [InlineData("line\r\nforged: entry", @"line\u000d\u000aforged: entry")]
    [InlineData("tab\tnul\0del\u007f", @"tab\u0009nul\u0000del\u007f")]
    [InlineData("c1 csi \u009b2J", @"c1 csi \u009b2J")]
    [InlineData("sep\u2028para\u2029", @"sep\u2028para\u2029")]
    [InlineData("bidi \u202egnp.exe\u2066\u2069\u200f", @"bidi \u202egnp.exe\u2066\u2069\u200f")]
    public void Control_characters_are_escaped(string text, string escaped)
    {
        Assert.Equal(escaped, UntrustedText.Escape(text));
        Assert.True(UntrustedText.ContainsUnsafe(text));
    }

    [Fact]
    public void Unpaired_surrogates_are_escaped()
    {
        // Built here, not as theory data: xunit would turn a lone surrogate into U+FFFD on the way.
        Assert.Equal(@"lone \ud800 high", UntrustedText.Escape("lone \ud800 high"));
        Assert.Equal(@"lone \udc00 low", UntrustedText.Escape("lone \udc00 low"));
        Assert.Equal(@"end \ud83d", UntrustedText.Escape("end \ud83d"));
    }

    [Theory]
    [InlineData("plain ASCII, with \\ and 'quotes'")]
    [InlineData("ünï cødé 上传 and an emoji 😀")]
    [InlineData("")]
    public void Printable_text_comes_back_as_the_same_string(string text)
    {
        Assert.Same(text, UntrustedText.Escape(text));
        Assert.False(UntrustedText.ContainsUnsafe(text));
    }

    [Fact]
    public void Escaping_twice_changes_nothing()
    {
        var once = UntrustedText.Escape("\u001b]0;title\u0007");

        Assert.Equal(once, UntrustedText.Escape(once));
    }

    [Fact]
    public void Long_text_is_cut_at_the_length_and_marked()
    {
        Assert.Equal("abc...", UntrustedText.Escape("abcdef", maxLength: 3));
        Assert.Equal(new string('x', UntrustedText.MaxQuotedLength) + "...", UntrustedText.Escape(new string('x', 5000)));
        Assert.Equal("abc", UntrustedText.Escape("abc", maxLength: 3));
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        Assert.Equal("ab...", UntrustedText.Escape("ab😀cd", maxLength: 3));
        Assert.Equal("ab😀...", UntrustedText.Escape("ab😀cd", maxLength: 4));
    }

    [Fact]
    public void Null_is_empty()
    {
        Assert.Equal(string.Empty, UntrustedText.Escape(null));
    }
}
