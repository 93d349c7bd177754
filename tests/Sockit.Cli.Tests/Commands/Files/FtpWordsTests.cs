using Sockit.Cli.Commands.Files;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class FtpWordsTests
{
    [Theory]
    [InlineData("ls", new[] { "ls" })]
    [InlineData("  put  -r  a b  ", new[] { "put", "-r", "a", "b" })]
    [InlineData("get \"my file.txt\" 'it''s'", new[] { "get", "my file.txt", "its" })]
    [InlineData(@"cd my\ docs", new[] { "cd", "my docs" })]
    [InlineData(@"rm ""a \""quoted\"" name""", new[] { "rm", "a \"quoted\" name" })]
    [InlineData("", new string[0])]
    public void Lines_split_into_words_as_a_shell_would(string line, string[] expected) =>
        Assert.Equal(expected, FtpWords.Split(line));

    [Fact]
    public void An_open_quote_is_an_error() =>
        Assert.Throws<FormatException>(() => FtpWords.Split("get \"a b"));

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("q\"uo'te\\s")]
    [InlineData("ünï cödé.txt")]
    public void A_quoted_word_reads_back_as_itself(string word) =>
        Assert.Equal([word], FtpWords.Split(FtpWords.Quote(word)));

    [Theory]
    [InlineData("get re", 6, 4)]
    [InlineData(@"get my\ fi", 10, 4)]
    [InlineData("get ", 4, 4)]
    [InlineData("ls", 2, 0)]
    public void The_word_under_the_cursor_starts_after_the_last_unescaped_space(string line, int cursor, int start) =>
        Assert.Equal(start, FtpWords.WordStart(line, cursor));
}
