using System.Text;
using System.Runtime.Versioning;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using static Sockit.Server.Tests.Files.JailSandbox;

namespace Sockit.Server.Tests.Files;

[SupportedOSPlatform("linux")]
public sealed class HomeJailTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly JailSandbox _box = new();

    private HomeJail Jail => _box.Jail;

    public void Dispose() => _box.Dispose();

    [JailFact]
    public void Opening_creates_the_data_root_and_the_home_owner_only()
    {
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_box.DataRoot));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_box.Home));
        Assert.Equal(JailSandbox.User, Jail.UserName);

        _box.Write("kept.txt", "kept");
        using var again = HomeJail.Open(_box.DataRoot, JailSandbox.User);
        Assert.Equal("kept.txt", Assert.Single(again.List(JailPath.Root)).Name);
    }

    [JailFact]
    public void A_home_or_data_root_removed_while_serving_is_made_again_on_the_next_open()
    {
        Directory.Delete(_box.Home, recursive: true);
        using (var home = HomeJail.Open(_box.DataRoot, JailSandbox.User))
        {
            Assert.Empty(home.List(JailPath.Root));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(_box.Home));
        }

        Directory.Delete(_box.DataRoot, recursive: true);
        using (var home = HomeJail.Open(_box.DataRoot, JailSandbox.User))
        {
            Assert.Empty(home.List(JailPath.Root));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(_box.DataRoot));
        }

        // A data root that is a file is reported as before, not taken for a missing one.
        Directory.Delete(_box.DataRoot, recursive: true);
        File.WriteAllText(_box.DataRoot, "not a folder");
        Assert.Equal(SockitErrorCode.InternalError, CodeOf(() => HomeJail.Open(_box.DataRoot, JailSandbox.User)));
        File.Delete(_box.DataRoot);
    }

    [Fact]
    public void The_default_data_root_follows_xdg_then_home()
    {
        Assert.Equal("/xdg/sockit/homes", HomeJail.DefaultDataRoot(name => name == "XDG_DATA_HOME" ? "/xdg" : "/home/u"));
        Assert.Equal("/home/u/.local/share/sockit/homes", HomeJail.DefaultDataRoot(name => name == "HOME" ? "/home/u" : null));
        Assert.Equal("/home/u/.local/share/sockit/homes", HomeJail.DefaultDataRoot(name => name == "HOME" ? "/home/u" : ""));

        // The XDG specification: a relative XDG_DATA_HOME is invalid and ignored.
        Assert.Equal("/home/u/.local/share/sockit/homes", HomeJail.DefaultDataRoot(name => name == "HOME" ? "/home/u" : "relative"));
    }

    [JailFact]
    public void Stat_tells_kind_size_time_mode_and_identity_without_following()
    {
        _box.Write("docs/a.txt", "12345");
        File.SetLastWriteTimeUtc(_box.OnDisk("docs/a.txt"), new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc));
        File.SetUnixFileMode(_box.OnDisk("docs/a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var file = Jail.Stat(JailPath.Parse("/docs/a.txt"));
        var folder = Jail.Stat(JailPath.Parse("docs"));
        var home = Jail.Stat(JailPath.Root);

        Assert.Equal(("a.txt", JailEntryKind.File, 5L), (file.Name, file.Kind, file.Size));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero), file.ModifiedUtc);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, file.Mode);
        Assert.NotEqual(file.Inode, folder.Inode);
        Assert.Equal(file.Device, folder.Device);
        Assert.Equal(("docs", JailEntryKind.Folder), (folder.Name, folder.Kind));
        Assert.Equal((string.Empty, JailEntryKind.Folder), (home.Name, home.Kind));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Stat(JailPath.Parse("docs/missing"))));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.Stat(JailPath.Parse("docs/a.txt/inner"))));
    }

    [JailFact]
    public void Every_spelling_of_a_path_names_the_same_file()
    {
        _box.Write("docs/a.txt", "same");

        foreach (var spelling in new[] { "/docs/a.txt", "docs/a.txt", "docs//a.txt", "./docs/a.txt", "//docs/./a.txt/" })
        {
            Assert.Equal("same", _box.Read(JailPath.Parse(spelling)));
        }
    }

    [JailFact]
    public void A_sparse_file_over_4_GiB_reports_its_full_size_and_its_small_allocation()
    {
        const long Size = (5L << 30) + 7;
        using (var stream = new FileStream(_box.OnDisk("big.bin"), FileMode.CreateNew))
        {
            stream.SetLength(Size);
        }

        var entry = Jail.Stat(JailPath.Parse("big.bin"));

        Assert.Equal(Size, entry.Size);
        Assert.True(entry.AllocatedBytes < 1 << 20, $"allocated {entry.AllocatedBytes}");
        Assert.Equal(Size, Assert.Single(Jail.List(JailPath.Root)).Size);
        using var handle = Jail.OpenRead(JailPath.Parse("big.bin"));
        Assert.Equal(Size, RandomAccess.GetLength(handle));
    }

    [JailFact]
    public void List_streams_every_entry_with_its_kind()
    {
        _box.Write("docs/a.txt", "a");
        _box.Write("docs/sub/b.txt", "b");
        _box.Link("docs/link", "a.txt");

        var entries = Jail.List(JailPath.Parse("docs")).ToDictionary(entry => entry.Name, entry => entry.Kind);

        Assert.Equal(
            new Dictionary<string, JailEntryKind> { ["a.txt"] = JailEntryKind.File, ["sub"] = JailEntryKind.Folder, ["link"] = JailEntryKind.Link },
            entries);
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.List(JailPath.Parse("missing"))));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.List(JailPath.Parse("docs/a.txt"))));
    }

    [JailFact]
    public void A_listing_of_thousands_of_names_can_be_enumerated_twice()
    {
        Directory.CreateDirectory(_box.OnDisk("many"));
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllBytes(_box.OnDisk($"many/file-{i:D4}-{new string('x', 40)}"), []);
        }

        var listing = Jail.List(JailPath.Parse("many"));

        Assert.Equal(3000, listing.Count());
        Assert.Equal(3000, listing.Select(entry => entry.Name).Distinct().Count());
    }

    [JailFact]
    public void ListSorted_orders_names_by_their_utf8_bytes()
    {
        string[] names = ["b", "B", "a", "é", "e\u0301", "z", "😀", "\uFFFD", "中", "\uE000", "10", "9", " space", "~"];
        foreach (var name in names)
        {
            _box.Write(name, name);
        }

        var sorted = Jail.ListSorted(JailPath.Root).Select(entry => entry.Name).ToList();

        var expected = names.OrderBy(name => Encoding.UTF8.GetBytes(name), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
        Assert.Equal(expected, sorted);
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.ListSorted(JailPath.Root, maxEntries: names.Length - 1)));
        Assert.Equal(names.Length, Jail.ListSorted(JailPath.Root, maxEntries: names.Length).Count);
    }

    [JailFact]
    public void Nfc_and_nfd_spellings_are_two_files_kept_byte_for_byte()
    {
        var nfc = "caf\u00e9.txt";
        var nfd = "cafe\u0301.txt";

        _box.Upload(nfc, "composed");
        _box.Upload(nfd, "decomposed");

        Assert.Equal("composed", _box.Read(JailPath.Parse(nfc)));
        Assert.Equal("decomposed", _box.Read(JailPath.Parse(nfd)));
        Assert.Equal([nfc, nfd], Jail.List(JailPath.Root).Select(entry => entry.Name).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(_box.OnDisk(nfc)));
        Assert.True(File.Exists(_box.OnDisk(nfd)));
    }

    [JailFact]
    public void Chinese_emoji_and_bidi_names_round_trip()
    {
        Jail.CreateFolder(JailPath.Parse("文件夹/😀"), parents: true);
        _box.Upload("文件夹/😀/数据 📄.txt", "内容");
        _box.Upload("\u202Etxt.exe", "bidi is printable, so allowed");

        Assert.Equal("😀", Assert.Single(Jail.List(JailPath.Parse("文件夹"))).Name);
        Assert.Equal("数据 📄.txt", Assert.Single(Jail.List(JailPath.Parse("/文件夹/😀"))).Name);
        Assert.Equal("内容", _box.Read(JailPath.Parse("文件夹/😀/数据 📄.txt")));
        Assert.Equal("内容", File.ReadAllText(_box.OnDisk("文件夹/😀/数据 📄.txt")));
        Assert.Equal(JailEntryKind.File, Jail.Stat(JailPath.Parse("\u202Etxt.exe")).Kind);
    }

    [JailFact]
    public void CreateFolder_makes_owner_only_folders_and_says_what_is_in_the_way()
    {
        Jail.CreateFolder(JailPath.Parse("a"), parents: false);
        Jail.CreateFolder(JailPath.Parse("a/b/c"), parents: true);
        Jail.CreateFolder(JailPath.Parse("a/b/c"), parents: true);
        Jail.CreateFolder(JailPath.Root, parents: true);
        _box.Write("a/file", "x");

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_box.OnDisk("a/b/c")));
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.CreateFolder(JailPath.Parse("a/b"), parents: false)));
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.CreateFolder(JailPath.Parse("a/file"), parents: false)));
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.CreateFolder(JailPath.Root, parents: false)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.CreateFolder(JailPath.Parse("x/y"), parents: false)));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.CreateFolder(JailPath.Parse("a/file"), parents: true)));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.CreateFolder(JailPath.Parse("a/file/d"), parents: true)));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.CreateFolder(JailPath.Parse("a/file/d"), parents: false)));
    }

    [JailFact]
    public void Delete_removes_files_and_folders_only_when_recursive()
    {
        _box.Write("a.txt", "a");
        _box.Write("tree/x/y/z.txt", "z");
        _box.Write("tree/" + JailPath.PartialNameOf("up"), "partial");
        Directory.CreateDirectory(_box.OnDisk("empty"));

        Jail.Delete(JailPath.Parse("a.txt"), recursive: false);
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.Delete(JailPath.Parse("tree"), recursive: false)));
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.Delete(JailPath.Parse("empty"), recursive: false)));
        Jail.Delete(JailPath.Parse("tree"), recursive: true);
        Jail.Delete(JailPath.Parse("empty"), recursive: true);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_box.Home));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Delete(JailPath.Parse("a.txt"), recursive: true)));
    }

    [JailFact]
    public void A_deep_tree_is_deleted_without_recursion_limits()
    {
        // Deeper than any path a client may write: moves can stack trees without limit.
        var deep = string.Join('/', Enumerable.Repeat("d", 60));
        var deeper = string.Join('/', Enumerable.Repeat("e", 60));
        Jail.CreateFolder(JailPath.Parse(deep), parents: true);
        Jail.CreateFolder(JailPath.Parse(deeper), parents: true);
        Directory.Move(_box.OnDisk("e"), _box.OnDisk(deep + "/e"));
        _box.Write(deep + "/" + deeper + "/leaf.txt", "leaf");

        Jail.Delete(JailPath.Parse("d"), recursive: true);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_box.Home));
    }

    [JailFact]
    public void RemoveFolder_removes_only_an_empty_folder()
    {
        Directory.CreateDirectory(_box.OnDisk("empty"));
        _box.Write("full/a.txt", "a");

        Jail.RemoveFolder(JailPath.Parse("empty"));

        Assert.False(Directory.Exists(_box.OnDisk("empty")));
        Assert.Equal(SockitErrorCode.NotEmpty, CodeOf(() => Jail.RemoveFolder(JailPath.Parse("full"))));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.RemoveFolder(JailPath.Parse("full/a.txt"))));
    }

    [JailFact]
    public void Move_renames_and_refuses_what_would_lose_or_loop()
    {
        _box.Write("a.txt", "a");
        _box.Write("b.txt", "b");
        _box.Write("dir/inner.txt", "inner");
        _box.Write("full/x", "x");
        Directory.CreateDirectory(_box.OnDisk("empty"));

        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.Move(JailPath.Parse("a.txt"), JailPath.Parse("b.txt"), overwrite: false)));
        Assert.Equal("b", _box.Read(JailPath.Parse("b.txt")));
        Jail.Move(JailPath.Parse("a.txt"), JailPath.Parse("b.txt"), overwrite: true);
        Assert.Equal("a", _box.Read(JailPath.Parse("b.txt")));

        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Move(JailPath.Parse("dir"), JailPath.Parse("dir/sub"), overwrite: false)));
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Move(JailPath.Parse("dir"), JailPath.Parse("dir/a/b"), overwrite: true)));
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.Move(JailPath.Parse("b.txt"), JailPath.Parse("empty"), overwrite: true)));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.Move(JailPath.Parse("dir"), JailPath.Parse("b.txt"), overwrite: true)));
        Assert.Equal(SockitErrorCode.NotEmpty, CodeOf(() => Jail.Move(JailPath.Parse("dir"), JailPath.Parse("full"), overwrite: true)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Move(JailPath.Parse("missing"), JailPath.Parse("c"), overwrite: true)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Move(JailPath.Parse("b.txt"), JailPath.Parse("nowhere/c"), overwrite: true)));

        Jail.Move(JailPath.Parse("dir"), JailPath.Parse("empty"), overwrite: true);
        Assert.Equal("inner", _box.Read(JailPath.Parse("empty/inner.txt")));
        Jail.Move(JailPath.Parse("empty"), JailPath.Parse("full/moved"), overwrite: false);
        Assert.Equal("inner", _box.Read(JailPath.Parse("full/moved/inner.txt")));
    }

    [JailFact]
    public void A_link_moves_as_itself_and_a_link_replaced_by_a_move_leaves_its_target_alone()
    {
        _box.Link("link", _box.SecretFile);
        _box.Write("a.txt", "a");

        Jail.Move(JailPath.Parse("link"), JailPath.Parse("renamed"), overwrite: false);
        Assert.Equal(JailEntryKind.Link, Jail.Stat(JailPath.Parse("renamed")).Kind);
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.Move(JailPath.Parse("a.txt"), JailPath.Parse("renamed"), overwrite: false)));
        Jail.Move(JailPath.Parse("a.txt"), JailPath.Parse("renamed"), overwrite: true);

        Assert.Equal("a", _box.Read(JailPath.Parse("renamed")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void Read_opens_regular_files_only()
    {
        _box.Write("docs/a.txt", "content");

        Assert.Equal("content", _box.Read(JailPath.Parse("docs/a.txt")));
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.OpenRead(JailPath.Parse("docs"))));
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.OpenRead(JailPath.Root)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.OpenRead(JailPath.Parse("docs/b.txt"))));
        Assert.Equal(SockitErrorCode.NotAFolder, CodeOf(() => Jail.OpenRead(JailPath.Parse("docs/a.txt/b"))));
    }

    [JailFact]
    public void A_read_handle_cannot_write()
    {
        _box.Write("a.txt", "content");

        using var handle = Jail.OpenRead(JailPath.Parse("a.txt"));

        Assert.Throws<UnauthorizedAccessException>(() => RandomAccess.Write(handle, "x"u8, 0));
        Assert.Equal("content", File.ReadAllText(_box.OnDisk("a.txt")));
    }
}
