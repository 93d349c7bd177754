using Sockit.Server.Files;
using Sockit.Server.Files.Jail;

namespace Sockit.Server.Tests.Files;

public sealed class FileHashCacheTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static FileStatus Status(ulong inode = 7, ulong size = 100, long modified = 1_000, long changed = 2_000) => new()
    {
        Inode = inode,
        Size = size,
        ModifiedSeconds = modified,
        ModifiedNanoseconds = 5,
        ChangedSeconds = changed,
        ChangedNanoseconds = 6,
        DeviceMajor = 8,
        DeviceMinor = 1,
    };

    [Fact]
    public void An_unchanged_file_is_found()
    {
        var cache = new FileHashCache();
        cache.Set(Status(), Hash);

        Assert.True(cache.TryGet(Status(), out var sha256));
        Assert.Equal(Hash, sha256);
    }

    [Theory]
    [InlineData(8ul, 100ul, 1_000L, 2_000L)]
    [InlineData(7ul, 101ul, 1_000L, 2_000L)]
    [InlineData(7ul, 100ul, 1_001L, 2_000L)]
    [InlineData(7ul, 100ul, 1_000L, 2_001L)]
    public void Another_inode_size_modification_or_change_time_is_not_found(ulong inode, ulong size, long modified, long changed)
    {
        var cache = new FileHashCache();
        cache.Set(Status(), Hash);

        Assert.False(cache.TryGet(Status(inode, size, modified, changed), out _));
    }

    [Fact]
    public void A_newer_hash_of_the_same_file_replaces_the_old()
    {
        var cache = new FileHashCache();
        cache.Set(Status(), Hash);
        cache.Set(Status(changed: 3_000), "ab" + Hash[2..]);

        Assert.False(cache.TryGet(Status(), out _));
        Assert.True(cache.TryGet(Status(changed: 3_000), out var sha256));
        Assert.StartsWith("ab", sha256, StringComparison.Ordinal);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Past_its_capacity_the_oldest_files_go()
    {
        var cache = new FileHashCache();
        for (ulong inode = 1; inode <= FileHashCache.Capacity + 10; inode++)
        {
            cache.Set(Status(inode), Hash);
        }

        Assert.Equal(FileHashCache.Capacity, cache.Count);
        Assert.False(cache.TryGet(Status(1), out _));
        Assert.True(cache.TryGet(Status(FileHashCache.Capacity + 10), out _));
    }
}
