using System.Globalization;

namespace Sockit.Client.Files;

/// <summary>The local file an upload reads, with what it looked like when the upload began.</summary>
internal sealed class UploadSource
{
    private readonly DateTime _lastWriteUtc;

    public UploadSource(string path, FileStream file)
    {
        Path = path;
        File = file;
        Size = file.Length;
        _lastWriteUtc = System.IO.File.GetLastWriteTimeUtc(file.SafeFileHandle);
        Mtime = _lastWriteUtc.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>The local path, for messages.</summary>
    public string Path { get; }

    /// <summary>The open file.</summary>
    public FileStream File { get; }

    /// <summary>Its size when the upload began: the size the server is told.</summary>
    public long Size { get; }

    /// <summary>Its modification time, for the server to give the uploaded file (ISO 8601).</summary>
    public string Mtime { get; }

    /// <summary>Whether the file was written to since the upload began (its size or modification time moved).</summary>
    public bool Changed() => File.Length != Size || System.IO.File.GetLastWriteTimeUtc(File.SafeFileHandle) != _lastWriteUtc;
}
