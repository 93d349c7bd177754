using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// Reads the names in an open folder with <c>getdents64</c>, a few kilobytes at a time, so a huge folder is never held
/// in memory. Owns the folder's descriptor.
/// </summary>
internal sealed class DirectoryReader : IDisposable
{
    // struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), then the NUL-terminated name.
    private const int RecordLengthOffset = 16;
    private const int NameOffset = 19;
    private const int BufferSize = 8 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly string _what;
    private int _position;
    private int _length;
    private bool _seenThisPass;

    /// <summary>Reads <paramref name="folder"/>, opened for reading (not <c>O_PATH</c>); <paramref name="what"/> is for errors.</summary>
    public DirectoryReader(SafeFileHandle folder, string what)
    {
        Folder = folder;
        _what = what;
    }

    /// <summary>The folder's descriptor, for the <c>*at</c> calls on the names it yields.</summary>
    public SafeFileHandle Folder { get; }

    /// <summary>The next name, NUL-terminated as the <c>*at</c> calls want it, never <c>.</c> or <c>..</c>; null at the end.</summary>
    public byte[]? Next()
    {
        while (true)
        {
            if (_position >= _length)
            {
                var read = JailLibC.GetDents64(Folder, _buffer, (nuint)_buffer.Length);
                if (read < 0)
                {
                    throw JailErrors.ForLast(_what);
                }

                if (read == 0)
                {
                    return null;
                }

                _position = 0;
                _length = (int)read;
            }

            var recordLength = MemoryMarshal.Read<ushort>(_buffer.AsSpan(_position + RecordLengthOffset));
            var field = _buffer.AsSpan(_position + NameOffset, recordLength - NameOffset);
            _position += recordLength;
            var name = field[..(field.IndexOf((byte)0) + 1)];
            if (name.SequenceEqual(".\0"u8) || name.SequenceEqual("..\0"u8))
            {
                continue;
            }

            _seenThisPass = true;
            return name.ToArray();
        }
    }

    /// <summary>
    /// After <see cref="Next"/> returned null: when this pass saw any name, starts over from the first name and returns
    /// true. A caller that removes names while reading needs a pass that sees none to know the folder is empty, because
    /// a folder changed while read may skip names.
    /// </summary>
    public bool StartOverIfAnySeen()
    {
        if (!_seenThisPass)
        {
            return false;
        }

        if (JailLibC.LSeek(Folder, 0, JailLibC.SEEK_SET) < 0)
        {
            throw JailErrors.ForLast(_what);
        }

        _position = 0;
        _length = 0;
        _seenThisPass = false;
        return true;
    }

    /// <summary>Closes the folder.</summary>
    public void Dispose() => Folder.Dispose();
}
