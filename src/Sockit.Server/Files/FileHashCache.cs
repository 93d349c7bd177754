using System.Diagnostics.CodeAnalysis;
using Sockit.Server.Files.Jail;

namespace Sockit.Server.Files;

/// <summary>
/// SHA-256s of files the server has hashed whole (a verified upload, a download), so that a later <c>get</c> of the
/// same bytes, a resumed one above all, sends them without reading the file twice. An entry is keyed by device and
/// inode and holds only while size, modification time and change time are the same: the kernel moves the change time
/// on every write, truncation, rename and time change, so a file altered by any means, even with its modification
/// time put back, no longer matches. Bounded: past <see cref="Capacity"/> entries the oldest go.
/// </summary>
internal sealed class FileHashCache
{
    /// <summary>How many files the cache remembers.</summary>
    public const int Capacity = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<(ulong Device, ulong Inode), FileHashEntry> _entries = [];
    private readonly Queue<(ulong Device, ulong Inode)> _order = new();

    /// <summary>How many files are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The SHA-256 remembered for the file as <paramref name="status"/> describes it, if it has not changed since.</summary>
    public bool TryGet(in FileStatus status, [NotNullWhen(true)] out string? sha256)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((status.Device, status.Inode), out var entry) && entry.Matches(status))
            {
                sha256 = entry.Sha256;
                return true;
            }
        }

        sha256 = null;
        return false;
    }

    /// <summary>Remembers <paramref name="sha256"/> as the hash of the file in the state <paramref name="status"/> describes.</summary>
    public void Set(in FileStatus status, string sha256)
    {
        var key = (status.Device, status.Inode);
        var entry = new FileHashEntry(FileVersion.Of(status), sha256);
        lock (_lock)
        {
            if (_entries.TryAdd(key, entry))
            {
                _order.Enqueue(key);
                while (_entries.Count > Capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
            else
            {
                _entries[key] = entry;
            }
        }
    }
}
