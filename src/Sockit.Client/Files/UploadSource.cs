using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Client.Files;

/// <summary>The local file an upload reads, with what it looked like when the upload began.</summary>
/// <remarks>
/// A small file is read whole through its handle; only a streamed upload gets a <see cref="Stream"/>. Many small files
/// in a row (<c>put -r</c>) pay for every system call a stream makes when it is opened and sized.
/// </remarks>
internal sealed class UploadSource : IDisposable
{
    private readonly DateTime _lastWriteUtc;
    private FileStream? _stream;

    private UploadSource(string path, SafeFileHandle handle)
    {
        Path = path;
        Handle = handle;
        Size = RandomAccess.GetLength(handle);
        _lastWriteUtc = File.GetLastWriteTimeUtc(handle);
        Mtime = _lastWriteUtc.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>Opens the file at <paramref name="path"/> to upload (<see cref="UploadFileOpener"/>) and notes its size and time.</summary>
    /// <exception cref="Protocol.Errors.SockitException"><c>invalid_argument</c>: not a regular file.</exception>
    public static UploadSource Open(string path)
    {
        var handle = UploadFileOpener.Open(path);
        try
        {
            return new UploadSource(path, handle);
        }
        catch (NotSupportedException)
        {
            // A pipe, a socket or a terminal cannot seek, so it has no size to announce.
            handle.Dispose();
            throw UploadFileOpener.NotAFile(path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The local path, for messages.</summary>
    public string Path { get; }

    /// <summary>The open file.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>The open file as an unbuffered stream, made on first use.</summary>
    public FileStream Stream => _stream ??= new FileStream(Handle, FileAccess.Read, 0);

    /// <summary>Its size when the upload began: the size the server is told.</summary>
    public long Size { get; }

    /// <summary>Its modification time, for the server to give the uploaded file (ISO 8601).</summary>
    public string Mtime { get; }

    /// <summary>Whether the file was written to since the upload began (its size or modification time moved).</summary>
    public bool Changed() => RandomAccess.GetLength(Handle) != Size || File.GetLastWriteTimeUtc(Handle) != _lastWriteUtc;

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        Handle.Dispose();
    }
}
