using System.Globalization;
using System.Text;

namespace Sockit.Protocol.Auth;

/// <summary>
/// The SASLprep profile of stringprep (RFC 4013, on RFC 3454), as far as .NET allows, applied to passwords before
/// they are hashed so that the same password typed in different Unicode forms gives the same key.
/// </summary>
/// <remarks>
/// <para>Covered:</para>
/// <list type="bullet">
/// <item>Mapping (RFC 4013 section 2.1): the non-ASCII spaces of table C.1.2 become U+0020; the "commonly mapped to
/// nothing" characters of table B.1 are removed. U+200B is in both tables; like PostgreSQL, it becomes a space.</item>
/// <item>Normalization (section 2.2): Unicode NFKC, with <see cref="string.Normalize(NormalizationForm)"/>.</item>
/// <item>Prohibited output (section 2.3): tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9 are
/// rejected; unpaired surrogates are rejected before anything else.</item>
/// <item>Unassigned code points (section 2.5): rejected, as for stored strings, so that a password that works
/// today keeps the same key tomorrow.</item>
/// </list>
/// <para>Not covered:</para>
/// <list type="bullet">
/// <item>The bidirectional rule (section 2.4, RFC 3454 section 6): .NET exposes no bidirectional class, so a string
/// that mixes right-to-left and left-to-right letters is accepted although SASLprep would refuse it.</item>
/// <item>The Unicode version: stringprep is pinned to Unicode 3.2, but NFKC and "unassigned" here follow the
/// runtime's Unicode version (ICU on Linux). Characters assigned after 3.2 are therefore accepted, and a few
/// normalizations of such characters may differ from a strict Unicode 3.2 implementation.</item>
/// </list>
/// </remarks>
public static class SaslPrep
{
    /// <summary>Prepares a string with SASLprep.</summary>
    /// <param name="value">The string, typically a password.</param>
    /// <param name="paramName">The name reported in the exception when <paramref name="value"/> is refused.</param>
    /// <returns>The mapped and NFKC-normalized string; it may be empty.</returns>
    /// <exception cref="ArgumentException">
    /// The string has an unpaired surrogate, a prohibited character or an unassigned code point. The message names
    /// the code point and the rule, never the rest of the string.
    /// </exception>
    public static string Prepare(string value, string paramName = "value")
    {
        ArgumentNullException.ThrowIfNull(value);

        var mapped = new StringBuilder(value.Length);
        var rest = value.AsSpan();
        var index = 0;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"the string has an unpaired surrogate at index {index} (SASLprep, RFC 4013)"),
                    paramName);
            }

            if (IsNonAsciiSpace(rune.Value))
            {
                mapped.Append(' ');
            }
            else if (!IsMappedToNothing(rune.Value))
            {
                mapped.Append(rune.ToString());
            }

            rest = rest[consumed..];
            index += consumed;
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);

        foreach (var rune in normalized.EnumerateRunes())
        {
            var why = ProhibitedReason(rune);
            if (why is not null)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"the string contains U+{rune.Value:X4}, {why}, which SASLprep (RFC 4013) prohibits"),
                    paramName);
            }
        }

        return normalized;
    }

    private static string? ProhibitedReason(Rune rune)
    {
        var c = rune.Value;
        if (IsNonAsciiSpace(c))
        {
            return "a non-ASCII space";
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category == UnicodeCategory.Control || IsNonAsciiControl(c))
        {
            return "a control character";
        }

        if (category == UnicodeCategory.PrivateUse)
        {
            return "a private-use character";
        }

        if (IsNonCharacter(c))
        {
            return "a non-character code point";
        }

        if (category == UnicodeCategory.Surrogate)
        {
            return "a surrogate";
        }

        if (c is >= 0xFFF9 and <= 0xFFFD)
        {
            return "a character inappropriate for plain text";
        }

        if (c is >= 0x2FF0 and <= 0x2FFB)
        {
            return "an ideographic description character";
        }

        if (c is 0x0340 or 0x0341 or 0x200E or 0x200F || c is >= 0x202A and <= 0x202E || c is >= 0x206A and <= 0x206F)
        {
            return "a character that changes display properties or is deprecated";
        }

        if (c == 0xE0001 || c is >= 0xE0020 and <= 0xE007F)
        {
            return "a tagging character";
        }

        if (category == UnicodeCategory.OtherNotAssigned)
        {
            return "an unassigned code point";
        }

        return null;
    }

    /// <summary>RFC 3454 table C.1.2.</summary>
    private static bool IsNonAsciiSpace(int c) =>
        c is 0x00A0 or 0x1680 or 0x202F or 0x205F or 0x3000 || c is >= 0x2000 and <= 0x200B;

    /// <summary>RFC 3454 table B.1.</summary>
    private static bool IsMappedToNothing(int c) =>
        c is 0x00AD or 0x034F or 0x1806 or 0x200C or 0x200D or 0x2060 or 0xFEFF
        || c is >= 0x180B and <= 0x180D
        || c is >= 0xFE00 and <= 0xFE0F;

    /// <summary>RFC 3454 table C.2.2 beyond the Cc category (which covers U+0080..U+009F).</summary>
    private static bool IsNonAsciiControl(int c) =>
        c is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029 or 0xFEFF
        || c is >= 0x2060 and <= 0x2063
        || c is >= 0x206A and <= 0x206F
        || c is >= 0xFFF9 and <= 0xFFFC
        || c is >= 0x1D173 and <= 0x1D17A;

    /// <summary>RFC 3454 table C.4: U+FDD0..U+FDEF and the last two code points of every plane.</summary>
    private static bool IsNonCharacter(int c) => c is >= 0xFDD0 and <= 0xFDEF || (c & 0xFFFE) == 0xFFFE;
}
