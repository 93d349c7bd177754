using Sockit.Server.Exec.Legacy;

namespace Sockit.Server.Tests.Exec.Legacy;

public sealed class SpillBufferTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-spill-test-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Small_output_stays_in_memory_and_comes_back_whole()
    {
        using var buffer = new SpillBuffer(1024, _folder.FullName);

        await buffer.WriteAsync("hello "u8.ToArray());
        await buffer.WriteAsync("world\n"u8.ToArray());

        Assert.False(buffer.InFile);
        Assert.Equal(12, buffer.Length);
        Assert.Equal('\n', buffer.LastByte);
        Assert.Equal("hello world\n"u8.ToArray(), await ReadAllAsync(buffer));
    }

    [Fact]
    public async Task Past_its_memory_limit_it_moves_to_a_file_without_a_name_and_keeps_every_byte_in_order()
    {
        using var buffer = new SpillBuffer(100_000, _folder.FullName);
        var expected = new byte[300_000];
        new Random(7).NextBytes(expected);

        // Odd-sized writes cross the memory blocks' edges and the limit in the middle of a write.
        for (int offset = 0; offset < expected.Length; offset += 7_001)
        {
            await buffer.WriteAsync(expected.AsMemory(offset, Math.Min(7_001, expected.Length - offset)));
        }

        Assert.True(buffer.InFile);
        Assert.Empty(_folder.GetFileSystemInfos());
        Assert.Equal(expected.Length, buffer.Length);
        Assert.Equal(expected, await ReadAllAsync(buffer));
    }

    [Fact]
    public async Task A_reader_that_stops_stops_the_copy()
    {
        using var buffer = new SpillBuffer(1024 * 1024, _folder.FullName);
        await buffer.WriteAsync(new byte[200_000]);
        int chunks = 0;

        bool whole = await buffer.CopyToAsync(_ => ValueTask.FromResult(++chunks < 2));

        Assert.False(whole);
        Assert.Equal(2, chunks);
    }

    [Fact]
    public async Task Nothing_written_is_empty()
    {
        using var buffer = new SpillBuffer(1024, _folder.FullName);

        Assert.Equal(-1, buffer.LastByte);
        Assert.Empty(await ReadAllAsync(buffer));
    }

    internal static async Task<byte[]> ReadAllAsync(Func<Func<ReadOnlyMemory<byte>, ValueTask<bool>>, Task<bool>> copy)
    {
        using var all = new MemoryStream();
        Assert.True(await copy(chunk =>
        {
            all.Write(chunk.Span);
            return ValueTask.FromResult(true);
        }));
        return all.ToArray();
    }

    private static Task<byte[]> ReadAllAsync(SpillBuffer buffer) => ReadAllAsync(write => buffer.CopyToAsync(write));
}
