using Sockit.Cli.Commands.Files;
using Sockit.Protocol.Files;

namespace Sockit.Cli.Tests.Commands.Files;

public sealed class EntryFormatTests
{
    [Theory]
    [InlineData("file", "0644", "-rw-r--r--")]
    [InlineData("folder", "0755", "drwxr-xr-x")]
    [InlineData("link", "0777", "lrwxrwxrwx")]
    [InlineData("special", "0600", "?rw-------")]
    [InlineData("file", "nonsense", "----------")]
    public void The_mode_column_spells_out_the_type_and_bits(string type, string mode, string expected) =>
        Assert.Equal(expected, EntryFormat.Mode(new FileEntry { Type = type, Mode = mode }));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    public void Sizes_are_for_people(long bytes, string expected) => Assert.Equal(expected, EntryFormat.Size(bytes));

    [Fact]
    public void A_long_line_has_mode_size_time_and_name()
    {
        var entry = new FileEntry { Name = "a.txt", Type = "file", Size = 1234, Mtime = "2026-11-30T14:00:00.123Z", Mode = "0644" };

        var line = EntryFormat.LongLine(entry);

        Assert.Equal($"-rw-r--r--         1234 {EntryFormat.Time(entry.Mtime)} a.txt", line);
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), EntryFormat.Time(entry.Mtime));
    }

    [Fact]
    public void A_hostile_name_cannot_write_terminal_escapes()
    {
        var entry = new FileEntry { Name = "evil\u001b]0;owned\u0007\nname\u202e", Type = "file", Mode = "0644", Mtime = "\u001b[2J" };

        var line = EntryFormat.LongLine(entry);

        Assert.DoesNotContain(line, char.IsControl);
        Assert.DoesNotContain('\u202e', line);
        Assert.EndsWith(@"evil\u001b]0;owned\u0007\u000aname\u202e", line, StringComparison.Ordinal);
        Assert.Equal(@"a\u001bb", EntryFormat.Name("a\u001bb"));
    }

    [Fact]
    public void Disk_usage_says_used_of_quota_and_free()
    {
        Assert.Equal("used 5.0 KiB of 1.0 GiB (1024.0 MiB free)", EntryFormat.DiskUsage(new DiskUsageReply { Used = 5120, Quota = 1L << 30, Free = (1L << 30) - 5120 }));
        Assert.Equal("used 12 B (no quota)", EntryFormat.DiskUsage(new DiskUsageReply { Used = 12 }));
    }
}
