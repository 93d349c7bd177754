using Sockit.Protocol.Errors;

namespace Sockit.Cli.Commands.Files;

/// <summary>
/// The flags and paths of one ftp command: <c>-r</c>, <c>-rf</c>, <c>--recursive</c> and the like before the paths
/// (after <c>--</c> everything is a path), each flag checked against what the command takes.
/// </summary>
internal sealed class FtpArguments
{
    private static readonly Dictionary<string, string> LongFlags = new(StringComparer.Ordinal)
    {
        ["--recursive"] = "r",
        ["--overwrite"] = "f",
        ["--force"] = "f",
        ["--quiet"] = "q",
        ["--parents"] = "p",
        ["--long"] = "l",
        ["--restart"] = "restart",
    };

    private readonly HashSet<string> _flags;

    private FtpArguments(HashSet<string> flags, List<string> paths)
    {
        _flags = flags;
        Paths = paths;
    }

    /// <summary>The words that are not flags.</summary>
    public List<string> Paths { get; }

    /// <summary>Whether <paramref name="flag"/> (a letter, or <c>restart</c>) was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>Reads <paramref name="words"/> for a command that takes the flags <paramref name="allowed"/>.</summary>
    /// <exception cref="SockitException">An unknown flag (<see cref="SockitErrorCode.InvalidArgument"/>).</exception>
    public static FtpArguments Parse(string command, IEnumerable<string> words, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(allowed);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>();
        bool flagsEnded = false;
        foreach (var word in words)
        {
            if (flagsEnded || word.Length < 2 || word[0] != '-')
            {
                paths.Add(word);
            }
            else if (word == "--")
            {
                flagsEnded = true;
            }
            else if (word.StartsWith("--", StringComparison.Ordinal))
            {
                flags.Add(LongFlags.TryGetValue(word, out var flag) && allowed.Contains(flag) ? flag : throw Unknown(command, word));
            }
            else
            {
                foreach (char letter in word[1..])
                {
                    flags.Add(allowed.Contains(letter.ToString()) ? letter.ToString() : throw Unknown(command, "-" + letter));
                }
            }
        }

        return new FtpArguments(flags, paths);
    }

    private static SockitException Unknown(string command, string flag) =>
        new(SockitErrorCode.InvalidArgument, $"{command}: unknown option {EntryFormat.Name(flag)} (see 'help {command}')");
}
