using System.Text;
using Sockit.Protocol.Errors;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// A path inside a user's home, as a client names it, checked and split into names. The home is the client's root:
/// <c>"/docs/a.txt"</c>, <c>"docs/a.txt"</c>, <c>"docs//a.txt"</c> and <c>"./docs/a.txt"</c> are the same path, and
/// <c>""</c> and <c>"/"</c> (and <c>default</c>) are the home itself.
/// </summary>
/// <remarks>
/// <para>
/// The server never normalises lexically: a <c>..</c> anywhere is <see cref="SockitErrorCode.OutsideHome"/> (a client
/// that offers <c>cd ..</c> resolves it itself), so no spelling of a path can climb out whatever the folders on disk
/// look like. Empty names and <c>.</c> are dropped, and a trailing <c>/</c> means nothing.
/// </para>
/// <para>
/// A name is refused with <see cref="SockitErrorCode.InvalidName"/> when it holds a character a person cannot see or a
/// terminal would act on: C0 controls (U+0000 to U+001F, NUL included), DEL, C1 controls (U+0080 to U+009F), or half of a
/// surrogate pair (which has no UTF-8 form); when it is longer than <see cref="MaxNameBytes"/> UTF-8 bytes; or when it
/// has the shape of a partial upload, <c>.NAME.sockit-part</c>, which the server reserves. Other printable characters
/// are names like any other, bidirectional controls (U+202E) and zero-width ones included: they can mislead a reader,
/// but a client that shows names should escape them; refusing them would refuse real names in right-to-left scripts.
/// A path is at most <see cref="MaxPathBytes"/> UTF-8 bytes as written and <see cref="MaxComponents"/> names.
/// </para>
/// <para>
/// Names are kept exactly as written, code point for code point: the NFC and NFD spellings of "é" are two names, as
/// they are on a Linux file system, and the server never normalises either.
/// </para>
/// </remarks>
public readonly record struct JailPath
{
    /// <summary>The longest name in UTF-8 bytes: the Linux limit for one name.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest path in UTF-8 bytes, as the client wrote it.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>The most names a path may have; deeper trees are refused.</summary>
    public const int MaxComponents = 64;

    /// <summary>What ends the name of a partial upload; see <see cref="PartialNameOf"/>.</summary>
    public const string PartialSuffix = ".sockit-part";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Null for the home itself, so default(JailPath) is the home too; never shared with a caller, so never changed.
    private readonly string[]? _names;

    private JailPath(string[] names) => _names = names.Length == 0 ? null : names;

    /// <summary>The home itself.</summary>
    public static JailPath Root => default;

    /// <summary>The names from the home down, none of them empty, <c>.</c> or <c>..</c>.</summary>
    public IReadOnlyList<string> Components => _names ?? [];

    /// <summary>Whether this is the home itself.</summary>
    public bool IsRoot => _names is null;

    /// <summary>The last name; empty for the home.</summary>
    public string Name => _names is null ? string.Empty : _names[^1];

    /// <summary>The folder this path is in; the home's parent is the home (there is nothing above it).</summary>
    public JailPath Parent => _names is null ? this : new JailPath(_names[..^1]);

    /// <summary>The path as a client shows it: <c>"/"</c> for the home, else <c>"/docs/a.txt"</c>.</summary>
    public string Display => _names is null ? "/" : "/" + string.Join('/', _names);

    /// <summary>
    /// Reads a path as a client wrote it: <c>/</c>-separated and relative to the home, whether or not it starts
    /// with <c>/</c>.
    /// </summary>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.OutsideHome"/> for a <c>..</c>, <see cref="SockitErrorCode.InvalidName"/> for a name
    /// or a path that breaks the rules above.
    /// </exception>
    public static JailPath Parse(string clientPath)
    {
        ArgumentNullException.ThrowIfNull(clientPath);

        // The UTF-8 length is never below the UTF-16 one for these counts, so the cheap test spares counting a huge string.
        if (clientPath.Length > MaxPathBytes || Encoding.UTF8.GetByteCount(clientPath) > MaxPathBytes)
        {
            throw Invalid($"a path is at most {MaxPathBytes} bytes");
        }

        var names = new List<string>();
        foreach (var range in clientPath.AsSpan().Split('/'))
        {
            var name = clientPath[range];
            if (name.Length == 0 || name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                throw new SockitException(
                    SockitErrorCode.OutsideHome, "a path may not contain '..': the home is the root, and the server does not climb");
            }

            if (NameProblem(name) is { } problem)
            {
                throw Invalid($"name {names.Count + 1} of the path {problem}");
            }

            names.Add(name);
            if (names.Count > MaxComponents)
            {
                throw Invalid($"a path has at most {MaxComponents} names");
            }
        }

        return new JailPath([.. names]);
    }

    /// <summary>The path of <paramref name="name"/> inside this folder.</summary>
    /// <exception cref="SockitException">
    /// <see cref="SockitErrorCode.InvalidName"/> when <paramref name="name"/> is not one valid name (empty, <c>.</c>,
    /// <c>..</c>, with a <c>/</c>, or breaking the rules above), or the path would be too long or too deep.
    /// </exception>
    public JailPath Combine(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (CheckName(name) is { } problem)
        {
            throw Invalid($"the name {problem}");
        }

        string[] names = [.. Components, name];
        if (names.Length > MaxComponents)
        {
            throw Invalid($"a path has at most {MaxComponents} names");
        }

        var combined = new JailPath(names);
        if (Encoding.UTF8.GetByteCount(combined.Display) > MaxPathBytes)
        {
            throw Invalid($"a path is at most {MaxPathBytes} bytes");
        }

        return combined;
    }

    /// <summary>Whether this path is <paramref name="folder"/> itself or somewhere beneath it.</summary>
    public bool IsWithin(JailPath folder)
    {
        var mine = Components;
        var theirs = folder.Components;
        if (theirs.Count > mine.Count)
        {
            return false;
        }

        for (var i = 0; i < theirs.Count; i++)
        {
            if (!string.Equals(mine[i], theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="name"/> is acceptable as one name in a path (see the remarks on <see cref="JailPath"/>).</summary>
    public static bool IsValidName(string name) => name is not null && CheckName(name) is null;

    /// <summary>
    /// Whether <paramref name="name"/> has the shape the server reserves for partial uploads, <c>.NAME.sockit-part</c>:
    /// such names are refused in paths and left out of listings.
    /// </summary>
    public static bool IsPartialName(ReadOnlySpan<char> name) =>
        name.Length > 1 && name[0] == '.' && name.EndsWith(PartialSuffix, StringComparison.Ordinal);

    /// <summary>The hidden name under which an upload of <paramref name="name"/> grows before it is committed.</summary>
    public static string PartialNameOf(string name) => "." + name + PartialSuffix;

    /// <summary>Compares the names one by one, ordinally.</summary>
    public bool Equals(JailPath other) => Components.Count == other.Components.Count && IsWithin(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var name in Components)
        {
            hash.Add(name, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The same as <see cref="Display"/>.</summary>
    public override string ToString() => Display;

    /// <summary>The path relative to the home as NUL-terminated UTF-8, <c>"."</c> for the home, for the *at calls.</summary>
    internal byte[] ToNativePath() => _names is null ? "."u8.ToArray() : NativeName(string.Join('/', _names));

    /// <summary><paramref name="name"/> as NUL-terminated UTF-8 (names here are valid UTF-16, so nothing is replaced).</summary>
    internal static byte[] NativeName(string name)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, bytes);
        return bytes;
    }

    /// <summary>
    /// A name read from disk as a client could name it, or null when it could not: invalid UTF-8 (which has no
    /// string form to send), or a name <see cref="IsValidName"/> refuses.
    /// </summary>
    internal static string? FromDisk(ReadOnlySpan<byte> name)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return CheckName(text) is null ? text : null;
    }

    private static string? CheckName(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name is "." or "..")
        {
            return "may not be '.' or '..'";
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return "may not contain '/'";
        }

        return NameProblem(name);
    }

    // What is wrong with a name that is neither empty, '.', '..' nor holds a '/', or null when nothing is.
    private static string? NameProblem(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c < 0x20 || c is >= '\u007F' and <= '\u009F')
            {
                return $"contains the control character U+{(int)c:X4}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "is not valid UTF-8 (half of a surrogate pair)";
            }
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return $"is longer than {MaxNameBytes} bytes";
        }

        if (IsPartialName(name))
        {
            return $"has the form .NAME{PartialSuffix}, which the server keeps for partial uploads";
        }

        return null;
    }

    private static SockitException Invalid(string message) => new(SockitErrorCode.InvalidName, message);
}
