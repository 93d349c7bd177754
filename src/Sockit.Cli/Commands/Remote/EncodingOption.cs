using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;

namespace Sockit.Cli.Commands.Remote;

/// <summary><c>--encoding NAME</c>: what a remote command's output is written in, when it is not the local console's.</summary>
internal static class EncodingOption
{
    public static Option<Encoding?> Create() => new("--encoding")
    {
        Description = "Decode the remote output as NAME (gbk, shift_jis, latin1, ...) and write it as text in the local "
            + "console's encoding; without it the bytes pass through unchanged",
        HelpName = "NAME",
        CustomParser = Parse,
    };

    /// <summary>
    /// The encoding called <paramref name="name"/>; the code pages of Windows (GBK, Shift-JIS, ...) included. A byte
    /// sequence that is not valid in it shows as U+FFFD rather than a guess.
    /// </summary>
    /// <exception cref="ArgumentException">No encoding has that name.</exception>
    public static Encoding Find(string name)
    {
        // The code pages come with .NET but are not registered by default; registering again changes nothing.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
    }

    private static Encoding? Parse(ArgumentResult result)
    {
        var name = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        try
        {
            return Find(name);
        }
        catch (ArgumentException)
        {
            result.AddError($"--encoding: no encoding is called '{name}' (try utf-8, gbk, gb18030, big5, shift_jis, latin1)");
            return null;
        }
    }
}
