using System.Buffers;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Connection;

/// <summary>
/// Where a frame header is serialized: straight into memory the connection's output handed out, so a header costs no
/// array of its own. When the JSON does not fit, the rest spills into a buffer kept for the next such header; the
/// caller then asks the output for enough memory and serializes again.
/// </summary>
/// <remarks>Used under the client's write lock, by one frame at a time.</remarks>
internal sealed class HeaderSpace : IBufferWriter<byte>
{
    private Memory<byte> _target;
    private int _written;
    private byte[] _spill = [];
    private int _spilled;
    private bool _spilling;
    private int _limit;
    private int _needed;

    /// <summary>Bytes of JSON written, in the target and the spill together.</summary>
    public int Length => _written + _spilled;

    /// <summary>
    /// How large a target the same JSON needs to be written without spilling: its length, or more where the writer
    /// asked for room for the worst case.
    /// </summary>
    public int Needed => Math.Max(_needed, Length);

    /// <summary>Whether the JSON outgrew the target: it must then be serialized again into a larger one.</summary>
    public bool Spilled => _spilling;

    /// <summary>
    /// Starts a header in <paramref name="target"/>, keeping its last <paramref name="reserve"/> bytes free for fields
    /// added afterwards. A header growing past <paramref name="limit"/> bytes fails with
    /// <see cref="SockitErrorCode.HeaderTooLarge"/> before the spill grows to hold it.
    /// </summary>
    public void Reset(Memory<byte> target, int reserve, int limit)
    {
        _target = target[..Math.Max(0, target.Length - reserve)];
        _written = 0;
        _spilled = 0;
        _spilling = false;
        _limit = limit;
        _needed = 0;
    }

    public void Advance(int count)
    {
        if (_spilling)
        {
            _spilled += count;
        }
        else
        {
            _written += count;
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        sizeHint = Math.Max(sizeHint, 1);
        _needed = (int)Math.Min(int.MaxValue, Math.Max(_needed, (long)Length + sizeHint));
        if (!_spilling && _target.Length - _written >= sizeHint)
        {
            return _target[_written..];
        }

        _spilling = true;
        int needed = _spilled + sizeHint;
        if (needed > _spill.Length)
        {
            // The writer asks for room for the worst case of escaping (6 bytes a character): more than that for the
            // limit means the value alone is too long.
            if (Length >= _limit || sizeHint > (6L * _limit) + 64)
            {
                throw new SockitException(
                    SockitErrorCode.HeaderTooLarge, $"the request header is larger than the {_limit} bytes the server accepts");
            }

            Array.Resize(ref _spill, Math.Max(needed, Math.Max(256, _spill.Length * 2)));
        }

        return _spill.AsMemory(_spilled);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
