using System.Text;

namespace Sockit.Server.Exec.Legacy;

/// <summary>
/// The body of a legacy reply as the tutorials' server builds it, <c>stdout.read() + stderr.read()</c>: all of standard
/// output, then all of standard error, then any note from the server. It is collected until the command has ended,
/// since the header carries its size, and it is bounded: memory up to <see cref="MemoryPerStream"/> a stream, a
/// nameless temporary file past that, and never more than the limit in all, where it is cut.
/// </summary>
internal sealed class LegacyOutput : IDisposable
{
    /// <summary>Bytes of each stream kept in memory before it moves to a temporary file.</summary>
    public const int MemoryPerStream = 512 * 1024;

    private readonly SpillBuffer _stdout;
    private readonly SpillBuffer _stderr;
    private readonly long _limit;
    private readonly Lock _lock = new();
    private long _taken;
    private byte[] _notes = [];

    /// <summary>An empty body that takes at most <paramref name="limit"/> bytes of output.</summary>
    /// <param name="limit">The most bytes of output kept, notes not counted.</param>
    /// <param name="folder">Where temporary files go; the system's temporary folder when <see langword="null"/>.</param>
    public LegacyOutput(long limit, string? folder = null)
    {
        _limit = limit;
        _stdout = new SpillBuffer(MemoryPerStream, folder);
        _stderr = new SpillBuffer(MemoryPerStream, folder);
    }

    /// <summary>The body's size: the <c>data_size</c> of its header.</summary>
    public long Length => _stdout.Length + _stderr.Length + _notes.Length;

    /// <summary>Whether output was dropped for passing the limit.</summary>
    public bool IsCut { get; private set; }

    /// <summary>
    /// Keeps what still fits of <paramref name="chunk"/>, from standard error when <paramref name="stderr"/> is set. Returns
    /// <see langword="false"/> when some of it did not fit. Standard output and standard error may be added at once.
    /// </summary>
    public async ValueTask<bool> AddAsync(bool stderr, ReadOnlyMemory<byte> chunk)
    {
        int room;
        lock (_lock)
        {
            room = (int)Math.Min(chunk.Length, _limit - _taken);
            _taken += room;
            IsCut |= room < chunk.Length;
        }

        await (stderr ? _stderr : _stdout).WriteAsync(chunk[..room]).ConfigureAwait(false);
        return room == chunk.Length;
    }

    /// <summary>
    /// Adds a line from the server after the output (<c>sockit: TEXT</c>): the only way this protocol has to say what
    /// happened, such as an error or a timeout. It starts on a line of its own.
    /// </summary>
    public void Note(string text)
    {
        int last = _notes.Length > 0 ? _notes[^1] : _stderr.Length > 0 ? _stderr.LastByte : _stdout.LastByte;
        var line = (last is -1 or '\n' ? "" : "\n") + "sockit: " + text + "\n";
        _notes = [.. _notes, .. Encoding.UTF8.GetBytes(line)];
    }

    /// <summary>
    /// Passes the body, in order, to <paramref name="write"/>, a chunk at a time (valid only during the call), until it
    /// returns <see langword="false"/>. Returns whether all of it was taken.
    /// </summary>
    public async Task<bool> CopyToAsync(Func<ReadOnlyMemory<byte>, ValueTask<bool>> write, CancellationToken cancellationToken = default) =>
        await _stdout.CopyToAsync(write, cancellationToken).ConfigureAwait(false)
        && await _stderr.CopyToAsync(write, cancellationToken).ConfigureAwait(false)
        && (_notes.Length == 0 || await write(_notes).ConfigureAwait(false));

    /// <summary>Frees the memory and the temporary files.</summary>
    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }
}
