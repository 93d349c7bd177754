using System.Globalization;
using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Auth;

/// <summary>
/// Reads the comma-separated <c>x=value</c> attributes of SCRAM messages (RFC 5802 section 7) and checks their
/// values. Every format error is a <see cref="SockitException"/> with code <c>invalid_argument</c>.
/// </summary>
internal static class ScramAttributes
{
    /// <summary>Splits a message into its attributes, in order, checking that each is a letter, '=' and a value.</summary>
    public static IReadOnlyList<(char Name, string Value)> Split(string message, string what)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length == 0)
        {
            throw Malformed($"the {what} message is empty");
        }

        // No SCRAM value may hold a NUL (RFC 5802's value-char excludes it).
        if (message.Contains('\0', StringComparison.Ordinal))
        {
            throw Malformed($"the {what} message contains a NUL character");
        }

        var parts = message.Split(',');
        var attributes = new (char, string)[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length < 2 || !char.IsAsciiLetter(part[0]) || part[1] != '=')
            {
                throw Malformed(string.Create(
                    CultureInfo.InvariantCulture,
                    $"attribute {i + 1} of the {what} message is not of the form 'x=value'"));
            }

            attributes[i] = (part[0], part[2..]);
        }

        return attributes;
    }

    /// <summary>Fails if the message starts with the reserved mandatory-extension attribute <c>m=</c>.</summary>
    public static void RejectMandatoryExtension(IReadOnlyList<(char Name, string Value)> attributes, string what)
    {
        if (attributes.Count > 0 && attributes[0].Name == 'm')
        {
            throw Malformed($"the {what} message asks for a mandatory extension (m=), which is not supported");
        }
    }

    /// <summary>Returns the value of the attribute at <paramref name="index"/>, which must be named <paramref name="name"/>.</summary>
    public static string Expect(IReadOnlyList<(char Name, string Value)> attributes, int index, char name, string what)
    {
        if (index >= attributes.Count)
        {
            throw Malformed($"the {what} message has no '{name}=' attribute");
        }

        var attribute = attributes[index];
        if (attribute.Name != name)
        {
            throw Malformed(string.Create(
                CultureInfo.InvariantCulture,
                $"attribute {index + 1} of the {what} message should be '{name}=', not '{attribute.Name}='"));
        }

        return attribute.Value;
    }

    /// <summary>Checks a nonce: one or more printable ASCII characters other than ','.</summary>
    public static string CheckNonce(string nonce, string what)
    {
        if (nonce.Length == 0)
        {
            throw Malformed($"the {what} is empty");
        }

        foreach (var c in nonce)
        {
            if (c is < '!' or > '~' or ',')
            {
                throw Malformed($"the {what} contains a character other than printable ASCII");
            }
        }

        return nonce;
    }

    /// <summary>Decodes strict base64: only the base64 alphabet and '=' padding, no whitespace, a multiple of 4 long.</summary>
    public static byte[] DecodeBase64(string value, string what)
    {
        // Convert.TryFromBase64String skips whitespace; SCRAM's base64 has none, so check the alphabet first.
        var valid = value.Length > 0 && value.Length % 4 == 0;
        for (var i = 0; valid && i < value.Length; i++)
        {
            valid = char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '/' or '=';
        }

        var buffer = new byte[value.Length / 4 * 3];
        if (!valid || !Convert.TryFromBase64String(value, buffer, out var written))
        {
            throw Malformed($"the {what} is not valid base64");
        }

        return buffer[..written];
    }

    /// <summary>Reads an iteration count: one or more ASCII digits, a positive 32-bit integer.</summary>
    public static int ParseIterations(string value)
    {
        if (!value.All(char.IsAsciiDigit)
            || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations <= 0)
        {
            throw Malformed("the iteration count (i=) is not a positive integer");
        }

        return iterations;
    }

    public static SockitException Malformed(string message) => new(SockitErrorCode.InvalidArgument, message);
}
