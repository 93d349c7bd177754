using System.Text;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using static Sockit.Server.Tests.Files.JailSandbox;

namespace Sockit.Server.Tests.Files;

public sealed class JailPathTests
{
    // Pieces a generated path is made of: separators, dot names, names that are fine, and every kind of bad character.
    private static readonly string[] Pieces =
    [
        "a", "b", "docs", "/", "/", "//", ".", "..", "...", ".a", "é", "e\u0301", "中", "😀", " ", "\\", "\u202E",
        "\0", "\n", "\u007F", "\u0085", "\uD800", "\uDC00", ".x.sockit-part", ".sockit-part", "sockit-part",
        new string('x', 120), new string('中', 40),
    ];

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData(".", "/")]
    [InlineData("./", "/")]
    [InlineData("///", "/")]
    [InlineData("docs/a.txt", "/docs/a.txt")]
    [InlineData("/docs/a.txt", "/docs/a.txt")]
    [InlineData("docs//a.txt", "/docs/a.txt")]
    [InlineData("./docs/a.txt", "/docs/a.txt")]
    [InlineData("docs/./a.txt/", "/docs/a.txt")]
    [InlineData("...", "/...")]
    [InlineData(".hidden", "/.hidden")]
    [InlineData("a..b/..c/d..", "/a..b/..c/d..")]
    [InlineData("back\\slash", "/back\\slash")]
    [InlineData(" spaced ", "/ spaced ")]
    [InlineData("a.sockit-part", "/a.sockit-part")]
    public void Spellings_parse_to_their_display_form(string clientPath, string display)
    {
        var path = JailPath.Parse(clientPath);

        Assert.Equal(display, path.Display);
        Assert.Equal(display, path.ToString());
        Assert.Equal(path, JailPath.Parse(display));
    }

    [Fact]
    public void Parent_name_and_combine_walk_the_tree()
    {
        var path = JailPath.Parse("/docs/sub/a.txt");

        Assert.Equal("a.txt", path.Name);
        Assert.Equal(JailPath.Parse("docs/sub"), path.Parent);
        Assert.Equal(JailPath.Root, path.Parent.Parent.Parent);
        Assert.Equal(JailPath.Root, JailPath.Root.Parent);
        Assert.True(JailPath.Root.IsRoot);
        Assert.True(default(JailPath).IsRoot);
        Assert.Equal(string.Empty, JailPath.Root.Name);
        Assert.Equal(path, JailPath.Root.Combine("docs").Combine("sub").Combine("a.txt"));
        Assert.Equal(["docs", "sub", "a.txt"], path.Components);
        Assert.True(path.IsWithin(JailPath.Parse("docs")));
        Assert.True(path.IsWithin(path));
        Assert.True(path.IsWithin(JailPath.Root));
        Assert.False(JailPath.Parse("docs2/a").IsWithin(JailPath.Parse("docs")));
        Assert.False(JailPath.Parse("docs").IsWithin(path));
    }

    [Fact]
    public void Equality_is_ordinal_and_never_normalises()
    {
        Assert.Equal(JailPath.Parse("/a/b").GetHashCode(), JailPath.Parse("a//b/").GetHashCode());
        Assert.NotEqual(JailPath.Parse("caf\u00e9"), JailPath.Parse("cafe\u0301"));
        Assert.NotEqual(JailPath.Parse("A"), JailPath.Parse("a"));
        Assert.NotEqual(JailPath.Parse("a/b"), JailPath.Parse("a"));
        Assert.Equal(JailPath.Root, JailPath.Parse("/"));
    }

    [Fact]
    public void Longest_names_count_utf8_bytes_not_characters()
    {
        Assert.Equal(255, JailPath.Parse(new string('a', 255)).Name.Length);
        Assert.Equal(85, JailPath.Parse(string.Concat(Enumerable.Repeat("中", 85))).Name.Length);
        Assert.Equal(126, JailPath.Parse(string.Concat(Enumerable.Repeat("😀", 63))).Name.Length);
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(new string('é', 128))));
    }

    [Fact]
    public void A_null_path_is_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => JailPath.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => JailPath.Root.Combine(null!));
        Assert.False(JailPath.IsValidName(null!));
    }

    [Fact]
    public void Generated_paths_parse_exactly_when_an_independent_model_says_they_should()
    {
        for (var seed = 0; seed < 5000; seed++)
        {
            var random = new Random(seed);
            var clientPath = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var expected = Model(clientPath);

            JailPath path;
            try
            {
                path = JailPath.Parse(clientPath);
            }
            catch (SockitException exception)
            {
                Assert.True(expected == exception.Code, $"seed {seed}: {Escape(clientPath)} gave {exception.Code}, expected {expected?.Value ?? "success"}");
                continue;
            }

            Assert.True(expected is null, $"seed {seed}: {Escape(clientPath)} parsed, expected {expected}");
            Assert.All(path.Components, name => Assert.True(JailPath.IsValidName(name)));
            Assert.Equal(path, JailPath.Parse(path.Display));
            Assert.Equal(path, path.Components.Aggregate(JailPath.Root, (parent, name) => parent.Combine(name)));
            Assert.StartsWith("/", path.Display, StringComparison.Ordinal);
            Assert.Equal(
                clientPath.Split('/').Where(name => name is not ("" or ".")),
                path.Components);
        }
    }

    // The rules from the issue, written a second time in another way: by runes and a strict UTF-8 encoder.
    private static SockitErrorCode? Model(string clientPath)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        if (Encoding.UTF8.GetByteCount(clientPath) > 4096)
        {
            return SockitErrorCode.InvalidName;
        }

        var count = 0;
        foreach (var name in clientPath.Split('/'))
        {
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                return SockitErrorCode.OutsideHome;
            }

            try
            {
                var bytes = strict.GetBytes(name);
                if (bytes.Length > 255 || name.EnumerateRunes().Any(rune => rune.Value is < 0x20 or (>= 0x7F and <= 0x9F)))
                {
                    return SockitErrorCode.InvalidName;
                }
            }
            catch (EncoderFallbackException)
            {
                return SockitErrorCode.InvalidName;
            }

            if (name.StartsWith('.') && name.EndsWith(".sockit-part", StringComparison.Ordinal) && name.Length > 1)
            {
                return SockitErrorCode.InvalidName;
            }

            if (++count > 64)
            {
                return SockitErrorCode.InvalidName;
            }
        }

        return null;
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
