using System.Runtime.InteropServices;

namespace Sockit.Server.Files.Jail;

/// <summary><c>struct open_how</c> of <c>openat2(2)</c>: three 64-bit fields, the same on every architecture.</summary>
/// <param name="Flags">The <c>O_*</c> flags.</param>
/// <param name="Mode">The mode of a created file; must be zero unless <c>O_CREAT</c> or <c>O_TMPFILE</c>.</param>
/// <param name="Resolve">The <c>RESOLVE_*</c> flags.</param>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct OpenHow(ulong Flags, ulong Mode, ulong Resolve);
