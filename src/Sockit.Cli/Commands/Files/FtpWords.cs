using System.Text;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// Splits an ftp command line into words as a shell would, simply: white space separates, <c>"..."</c> and
/// <c>'...'</c> quote, a backslash takes the next character as it is (<c>my\ file.txt</c>). Completion writes names
/// back the same way (<see cref="Quote"/>).
/// </summary>
internal static class FtpWords
{
    /// <summary>The words of <paramref name="line"/>.</summary>
    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static List<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"the {quote} is not closed");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary><paramref name="word"/> written so that <see cref="Split"/> reads it back as one word.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var text = new StringBuilder(word.Length + 4);
        foreach (char c in word)
        {
            if (char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>
    /// Where the word under the cursor starts in <paramref name="line"/> (the cursor at <paramref name="end"/>):
    /// after the last white space that no backslash escapes.
    /// </summary>
    public static int WordStart(string line, int end)
    {
        ArgumentNullException.ThrowIfNull(line);
        int start = 0;
        for (int i = 0; i < end; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (char.IsWhiteSpace(line[i]))
            {
                start = i + 1;
            }
        }

        return Math.Min(start, end);
    }
}
