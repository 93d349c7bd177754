using System.Text;
using Sockit.Protocol.Errors;
using Sockit.LocalFiles;
using Sockit.Protocol.Tls;

namespace Sockit.Client.Tls;

/// <summary>
/// The known-hosts file: one <c>HOST:PORT FINGERPRINT</c> line per server certificate, blank lines and lines
/// starting with <c>#</c> ignored, as are lines that do not parse. A server may have several lines (a certificate
/// being replaced); any of them matching is enough.
/// </summary>
internal sealed class KnownHostsFile(string path)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The lines for <paramref name="hostPort"/>, in file order; none when the file does not exist.</summary>
    public IReadOnlyList<KnownHost> Find(string hostPort)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"cannot read the known-hosts file {Path}: {ex.Message}", ex);
        }

        var found = new List<KnownHost>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (Parse(lines[i], i + 1) is { } known && string.Equals(known.HostPort, hostPort, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(known);
            }
        }

        return found;
    }

    /// <summary>
    /// Appends a line for <paramref name="hostPort"/>, creating the file (owner-only) and its folder as needed. The
    /// line goes out in one appending write, so lines from processes adding at once do not interleave.
    /// </summary>
    public void Add(string hostPort, byte[] fingerprint)
    {
        try
        {
            OwnerOnlyFile.EnsureDirectory(System.IO.Path.GetDirectoryName(Path)!);

            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerReadWrite;
            }

            using var stream = new FileStream(Path, options);
            var line = $"{hostPort} {CertificateFingerprint.Format(fingerprint)}\n";
            if (stream.Length > 0 && !EndsWithNewLine())
            {
                line = "\n" + line;
            }

            stream.Write(Encoding.UTF8.GetBytes(line));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SockitException(SockitErrorCode.InvalidArgument, $"cannot add {hostPort} to the known-hosts file {Path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads one line; <see langword="null"/> for a blank line, a comment or a line that does not parse.</summary>
    internal static KnownHost? Parse(string line, int number)
    {
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && CertificateFingerprint.TryParse(fields[1], out var fingerprint)
            ? new KnownHost(fields[0], fingerprint, number)
            : null;
    }

    private bool EndsWithNewLine()
    {
        using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Seek(-1, SeekOrigin.End);
        return reader.ReadByte() == '\n';
    }
}
