using System.Globalization;
using System.Text;

namespace Sockit.Protocol.Text;

/// <summary>
/// Makes text a peer sent safe to put in a log line or an error message: characters that a terminal or a log
/// viewer would act on instead of showing (ESC, CR, LF and every other control character, line and paragraph
/// separators, bidirectional overrides, unpaired surrogates) are written as <c>\u001b</c>-style escapes, and
/// the text is cut at a length.
/// </summary>
/// <remarks>
/// A backslash is left as it is, so escaping twice changes nothing, and a peer that sends the six characters
/// <c>\u001b</c> itself gets them shown as they are: harmless, though it looks the same as an escaped ESC.
/// </remarks>
public static class UntrustedText
{
    /// <summary>How many characters of a peer's value an error message quotes (an op name, a format, a user name).</summary>
    public const int MaxQuotedLength = 100;

    /// <summary>How many characters of a whole message (which may quote values) a log line keeps.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>What replaces the rest of a text cut at its length.</summary>
    public const string Ellipsis = "...";

    /// <summary>
    /// Returns <paramref name="text"/> with every unsafe character escaped and, if it has more than
    /// <paramref name="maxLength"/> characters, cut there and followed by <see cref="Ellipsis"/>. The same string
    /// comes back when nothing needed changing.
    /// </summary>
    public static string Escape(string? text, int maxLength = MaxQuotedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (text is null)
        {
            return string.Empty;
        }

        int length = text.Length <= maxLength ? text.Length : maxLength;

        // A surrogate pair is kept whole or dropped whole.
        if (length < text.Length && length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        int first = IndexOfUnsafe(text.AsSpan(0, length));
        if (first < 0 && length == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(length + 16);
        builder.Append(text, 0, first < 0 ? length : first);
        for (int i = first < 0 ? length : first; i < length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(text, i))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        if (length < text.Length)
        {
            builder.Append(Ellipsis);
        }

        return builder.ToString();
    }

    /// <summary>Whether <paramref name="text"/> holds a character <see cref="Escape"/> would escape.</summary>
    public static bool ContainsUnsafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IndexOfUnsafe(text) >= 0;
    }

    private static int IndexOfUnsafe(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        if (c is >= ' ' and < '\u007f')
        {
            return false;
        }

        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return index == 0 || !char.IsHighSurrogate(text[index - 1]);
        }

        // C0, DEL and C1 (CSI U+009B starts an escape sequence on some terminals); line and paragraph separators;
        // the bidirectional marks, embeddings, overrides and isolates that can make a log line read backwards.
        return char.IsControl(c)
            || c is '\u2028' or '\u2029' or '\u061c' or '\u200e' or '\u200f'
            || c is >= '\u202a' and <= '\u202e'
            || c is >= '\u2066' and <= '\u2069';
    }
}
