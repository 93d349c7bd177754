using Sockit.Protocol.Errors;

namespace Sockit.Protocol.Auth;

/// <summary>
/// The <c>saslname</c> escaping of RFC 5802 section 5.1: a user name travels with <c>,</c> written as <c>=2C</c>
/// and <c>=</c> as <c>=3D</c>, because those two characters delimit the attributes of a SCRAM message.
/// </summary>
public static class SaslName
{
    /// <summary>Escapes a user name for the <c>n=</c> attribute.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains a NUL, which no SCRAM value may hold.</exception>
    public static string Escape(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (userName.Length == 0)
        {
            throw new ArgumentException("the user name is empty", nameof(userName));
        }

        if (userName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("the user name contains a NUL character", nameof(userName));
        }

        return userName.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
    }

    /// <summary>Undoes <see cref="Escape"/> on the value of an <c>n=</c> attribute.</summary>
    /// <exception cref="SockitException">
    /// Code <c>invalid_argument</c>: the value is empty, or has a <c>=</c> not followed by <c>2C</c> or <c>3D</c>
    /// (RFC 5802 says the server must then fail the login).
    /// </exception>
    public static string Unescape(string saslName)
    {
        ArgumentNullException.ThrowIfNull(saslName);
        if (saslName.Length == 0)
        {
            throw Malformed("the user name is empty");
        }

        var builder = new System.Text.StringBuilder(saslName.Length);
        for (var i = 0; i < saslName.Length; i++)
        {
            var c = saslName[i];
            if (c != '=')
            {
                builder.Append(c);
                continue;
            }

            // ABNF literals are case-insensitive, so "=2c" is as valid as "=2C".
            var escape = i + 2 < saslName.Length ? saslName.Substring(i + 1, 2) : string.Empty;
            if (escape.Equals("2C", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(',');
            }
            else if (escape.Equals("3D", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append('=');
            }
            else
            {
                throw Malformed("the user name has a '=' that is not the start of '=2C' or '=3D'");
            }

            i += 2;
        }

        return builder.ToString();
    }

    private static SockitException Malformed(string message) => new(SockitErrorCode.InvalidArgument, message);
}
