using System.Text.Json;
using Sockit.Protocol.Text;

namespace Sockit.Protocol.Framing;

/// <summary>
/// The <c>op</c> names a peer expects, so the parser can hand back the same string instance for each instead of
/// allocating one per frame. The parser itself knows no operation; whoever reads frames supplies the names.
/// </summary>
public sealed class FrameNames
{
    private readonly string[] _names;
    private readonly byte[][] _utf8;

    /// <summary>A table of <paramref name="names"/>; each must already be safe to quote (see <see cref="UntrustedText"/>).</summary>
    public FrameNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [.. names.Distinct(StringComparer.Ordinal)];
        foreach (var name in _names)
        {
            if (UntrustedText.Escape(name) != name)
            {
                throw new ArgumentException($"'{UntrustedText.Escape(name)}' is not a name a frame can carry unescaped", nameof(names));
            }
        }

        _utf8 = [.. _names.Select(System.Text.Encoding.UTF8.GetBytes)];
    }

    /// <summary>A table without names: every <c>op</c> is decoded (and escaped) anew.</summary>
    public static FrameNames Empty { get; } = new([]);

    /// <summary>The names in the table.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Finds the string token under <paramref name="reader"/> in the table.</summary>
    internal bool TryFind(ref Utf8JsonReader reader, out string name)
    {
        for (int i = 0; i < _utf8.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8[i]))
            {
                name = _names[i];
                return true;
            }
        }

        name = string.Empty;
        return false;
    }
}
