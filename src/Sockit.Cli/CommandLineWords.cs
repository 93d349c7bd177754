using System.CommandLine;

namespace Sockit.Cli;

/// <summary>
/// For a verb whose arguments are a command line of its own (<c>sockit exec</c>): its options end at the first word of
/// that command line, as with <c>ssh</c>, <c>env</c> or <c>sudo</c>. Otherwise the parser would take options from
/// anywhere, and <c>sockit exec grep -s x f</c> would send <c>grep x f</c> to a server named <c>x</c>.
/// </summary>
internal static class CommandLineWords
{
    private const string DoubleDash = "--";

    /// <summary>
    /// <paramref name="args"/> with a <c>--</c> put before the first word after <paramref name="verb"/>'s name that is
    /// neither an option nor an option's value; unchanged if there is no such word or a <c>--</c> comes first.
    /// </summary>
    /// <param name="verb">The verb, whose options say which of them take a value.</param>
    /// <param name="args">The whole command line.</param>
    /// <param name="start">The index of the first word after the verb's name.</param>
    public static IReadOnlyList<string> EndOptionsAtFirstArgument(Command verb, IReadOnlyList<string> args, int start)
    {
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(args);
        for (int i = start; i < args.Count; i++)
        {
            var word = args[i];
            if (word == DoubleDash)
            {
                return args;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                // An unknown option is left for the parser to report; a value written as --name=value is one word.
                if (TakesValue(verb, word))
                {
                    i++;
                }

                continue;
            }

            return [.. args.Take(i), DoubleDash, .. args.Skip(i)];
        }

        return args;
    }

    private static bool TakesValue(Command verb, string word) =>
        verb.Options.FirstOrDefault(option => option.Name == word || option.Aliases.Contains(word)) is { } option
        && option.Arity.MinimumNumberOfValues > 0;
}
