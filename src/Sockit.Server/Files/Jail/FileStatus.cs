using System.Runtime.InteropServices;

namespace Sockit.Server.Files.Jail;

/// <summary>
/// <c>struct statx</c>, whose layout is the same on every Linux architecture (unlike <c>struct stat</c>); only the
/// fields the jail reads are named.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct FileStatus
{
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort FolderType = 0x4000;
    private const ushort LinkType = 0xA000;

    [FieldOffset(16)]
    public uint LinkCount;

    [FieldOffset(28)]
    public ushort Mode;

    [FieldOffset(32)]
    public ulong Inode;

    [FieldOffset(40)]
    public ulong Size;

    /// <summary>512-byte blocks, whatever the file system's block size.</summary>
    [FieldOffset(48)]
    public ulong Blocks;

    /// <summary>When the inode last changed: set by the kernel on every write, rename and time change, never by a caller.</summary>
    [FieldOffset(96)]
    public long ChangedSeconds;

    [FieldOffset(104)]
    public uint ChangedNanoseconds;

    [FieldOffset(112)]
    public long ModifiedSeconds;

    [FieldOffset(120)]
    public uint ModifiedNanoseconds;

    [FieldOffset(136)]
    public uint DeviceMajor;

    [FieldOffset(140)]
    public uint DeviceMinor;

    /// <summary>When the content last changed, to the 100 ns a <see cref="DateTimeOffset"/> holds.</summary>
    public readonly DateTimeOffset ModifiedUtc =>
        DateTimeOffset.FromUnixTimeSeconds(ModifiedSeconds).AddTicks(ModifiedNanoseconds / 100);

    public readonly JailEntryKind Kind => (Mode & TypeMask) switch
    {
        RegularType => JailEntryKind.File,
        FolderType => JailEntryKind.Folder,
        LinkType => JailEntryKind.Link,
        _ => JailEntryKind.Special,
    };

    /// <summary>The bytes the file takes on disk, which for a sparse file is less than its size.</summary>
    public readonly long AllocatedBytes => (long)Blocks * 512;

    /// <summary>The device the file is on, encoded as glibc's <c>makedev</c> does, so it equals <c>st_dev</c>.</summary>
    public readonly ulong Device =>
        ((ulong)(DeviceMajor & 0xFFFFF000) << 32) | ((ulong)(DeviceMajor & 0xFFF) << 8)
        | ((ulong)(DeviceMinor & 0xFFFFFF00) << 12) | (DeviceMinor & 0xFF);

    /// <summary>Whether <paramref name="other"/> is the same file (the same inode on the same device).</summary>
    public readonly bool IsSameFile(in FileStatus other) =>
        Inode == other.Inode && DeviceMajor == other.DeviceMajor && DeviceMinor == other.DeviceMinor;
}
