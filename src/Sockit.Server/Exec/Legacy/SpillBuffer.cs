using System.Buffers;

namespace Sockit.Server.Exec.Legacy;

/// <summary>
/// Bytes kept to be sent later: in memory up to a limit, past it in a temporary file that has no name (it is unlinked as
/// soon as it is open), so that a large output costs disk rather than memory and nothing is left behind, even if the
/// server dies. Not thread-safe: one writer, then one reader.
/// </summary>
internal sealed class SpillBuffer : IDisposable
{
    private const int BlockSize = 64 * 1024;

    private readonly int _memoryLimit;
    private readonly string _folder;
    private readonly List<byte[]> _blocks = [];
    private FileStream? _file;
    private bool _disposed;

    /// <summary>A buffer that keeps up to <paramref name="memoryLimit"/> bytes in memory.</summary>
    /// <param name="memoryLimit">Bytes kept in memory before everything moves to a file.</param>
    /// <param name="folder">Where the file is made; the system's temporary folder when <see langword="null"/>.</param>
    public SpillBuffer(int memoryLimit, string? folder = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memoryLimit);
        _memoryLimit = memoryLimit;
        _folder = folder ?? Path.GetTempPath();
    }

    /// <summary>Bytes written.</summary>
    public long Length { get; private set; }

    /// <summary>The last byte written, or -1 when nothing has been.</summary>
    public int LastByte { get; private set; } = -1;

    /// <summary>Whether the bytes are in a file rather than in memory.</summary>
    public bool InFile => _file is not null;

    /// <summary>Adds <paramref name="data"/> at the end.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.IsEmpty)
        {
            return;
        }

        if (_file is null && Length + data.Length > _memoryLimit)
        {
            _file = await SpillAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_file is null)
        {
            CopyToBlocks(data.Span);
        }
        else
        {
            await _file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }

        Length += data.Length;
        LastByte = data.Span[^1];
    }

    /// <summary>
    /// Passes every byte, in order, to <paramref name="write"/>, a chunk at a time (valid only during the call), until it
    /// returns <see langword="false"/>. Returns whether every byte was taken.
    /// </summary>
    public async Task<bool> CopyToAsync(Func<ReadOnlyMemory<byte>, ValueTask<bool>> write, CancellationToken cancellationToken = default)
    {
        if (_file is null)
        {
            long left = Length;
            foreach (var block in _blocks)
            {
                int count = (int)Math.Min(BlockSize, left);
                if (!await write(block.AsMemory(0, count)).ConfigureAwait(false))
                {
                    return false;
                }

                left -= count;
            }

            return true;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            _file.Position = 0;
            int read;
            while ((read = await _file.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (!await write(buffer.AsMemory(0, read)).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gives the memory back and closes the file, which the system then deletes.</summary>
    public void Dispose()
    {
        _disposed = true;
        ReturnBlocks();
        _file?.Dispose();
        _file = null;
    }

    private void CopyToBlocks(ReadOnlySpan<byte> data)
    {
        long position = Length;
        while (!data.IsEmpty)
        {
            int used = (int)(position % BlockSize);
            if (used == 0)
            {
                _blocks.Add(ArrayPool<byte>.Shared.Rent(BlockSize));
            }

            int count = Math.Min(BlockSize - used, data.Length);
            data[..count].CopyTo(_blocks[^1].AsSpan(used));
            data = data[count..];
            position += count;
        }
    }

    private async Task<FileStream> SpillAsync(CancellationToken cancellationToken)
    {
        var file = CreateNamelessFile(_folder);
        try
        {
            long left = Length;
            foreach (var block in _blocks)
            {
                int count = (int)Math.Min(BlockSize, left);
                await file.WriteAsync(block.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                left -= count;
            }
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ReturnBlocks();
        return file;
    }

    private void ReturnBlocks()
    {
        foreach (var block in _blocks)
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _blocks.Clear();
    }

    private static FileStream CreateNamelessFile(string folder)
    {
        var path = Path.Combine(folder, "sockit-output-" + Path.GetRandomFileName());
        bool windows = OperatingSystem.IsWindows();
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            // Windows cannot delete an open file, so it deletes it on close instead; elsewhere unlinking it now also
            // covers a server that dies, and DeleteOnClose would later unlink whatever then has the name.
            Options = FileOptions.Asynchronous | (windows ? FileOptions.DeleteOnClose : FileOptions.None),
        };
        if (!windows)
        {
            // Command output may be private: only the server's user may read it while the name still exists.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!windows)
        {
            File.Delete(path);
        }

        return file;
    }
}
