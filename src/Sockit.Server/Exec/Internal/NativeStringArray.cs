using System.Runtime.InteropServices;

namespace Sockit.Server.Exec.Internal;

/// <summary>
/// A C <c>char *const[]</c> of UTF-8 strings ending in a null pointer, as <c>posix_spawn</c> takes for argv and envp.
/// Built in unmanaged memory so nothing moves while the child is being started.
/// </summary>
internal sealed class NativeStringArray : IDisposable
{
    private readonly IntPtr[] _strings;

    /// <summary>Copies <paramref name="values"/> out as UTF-8.</summary>
    /// <exception cref="ArgumentException">A value contains NUL, which C would silently cut the string at.</exception>
    public NativeStringArray(IReadOnlyList<string> values, string parameterName)
    {
        foreach (var value in values)
        {
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A NUL character cannot be passed to a child process: {value.Replace('\0', '␀')}", parameterName);
            }
        }

        _strings = new IntPtr[values.Count];
        Pointer = Marshal.AllocHGlobal((values.Count + 1) * IntPtr.Size);
        for (int i = 0; i < values.Count; i++)
        {
            _strings[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            Marshal.WriteIntPtr(Pointer, i * IntPtr.Size, _strings[i]);
        }

        Marshal.WriteIntPtr(Pointer, values.Count * IntPtr.Size, IntPtr.Zero);
    }

    /// <summary>The array's address, valid until disposal.</summary>
    public IntPtr Pointer { get; private set; }

    /// <summary>The first string's address (<c>argv[0]</c>), valid until disposal.</summary>
    public IntPtr First => _strings.Length > 0 ? _strings[0] : IntPtr.Zero;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Pointer == IntPtr.Zero)
        {
            return;
        }

        foreach (var s in _strings)
        {
            Marshal.FreeCoTaskMem(s);
        }

        Marshal.FreeHGlobal(Pointer);
        Pointer = IntPtr.Zero;
    }
}
