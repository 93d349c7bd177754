using System.Net.Sockets;
using System.Runtime.Versioning;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using static Sockit.Server.Tests.Files.JailSandbox;

namespace Sockit.Server.Tests.Files;

/// <summary>
/// Attempts to leave a home, or to make the server touch what it must not: each one is refused with its stable code,
/// and the secret beside the data root stays as it was.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HomeJailAttackTests : IDisposable
{
    private readonly JailSandbox _box = new();

    private HomeJail Jail => _box.Jail;

    public void Dispose() => _box.Dispose();

    public static TheoryData<string> DotDotEverywhere =>
    [
        "..", "/..", "../", "/../", "./..", "../..", "../x", "/../x", "a/..", "a/../b", "a/b/..", "a//..//b",
        "a/./../b", "../outside/secret.txt", "../../../../../../etc/passwd", "a/b/c/d/e/../../../../../../..",
        "docs/..", "docs/../..",
    ];

    [Theory]
    [MemberData(nameof(DotDotEverywhere))]
    public void Dot_dot_anywhere_is_outside_home_without_looking_at_the_disk(string clientPath)
    {
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => JailPath.Parse(clientPath)));
    }

    [JailFact]
    public void An_absolute_path_is_inside_the_home_so_etc_passwd_is_not_found()
    {
        var path = JailPath.Parse("/etc/passwd");

        Assert.Equal("/etc/passwd", path.Display);
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Stat(path)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.OpenRead(path)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.OpenRead(JailPath.Parse(_box.SecretFile))));

        _box.Write("etc/passwd", "mine");
        Assert.Equal("mine", _box.Read(path));
    }

    [JailFact]
    public void A_link_to_an_outside_folder_is_never_walked_through()
    {
        _box.Link("out", _box.Outside);

        Assert.Equal(JailEntryKind.Link, Jail.Stat(JailPath.Parse("out")).Kind);
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Stat(JailPath.Parse("out/secret.txt"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("out/secret.txt"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse("out"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse("out/folder"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.CreateFolder(JailPath.Parse("out/new"), parents: false)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.CreateFolder(JailPath.Parse("out/new/deeper"), parents: true)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Delete(JailPath.Parse("out/secret.txt"), recursive: false)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Delete(JailPath.Parse("out/folder"), recursive: true)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.RemoveFolder(JailPath.Parse("out/folder"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Move(JailPath.Parse("out/secret.txt"), JailPath.Parse("stolen"), overwrite: false)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("out/planted.txt"), overwrite: true)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.PartialLength(JailPath.Parse("out/secret.txt"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.DiscardPartial(JailPath.Parse("out/secret.txt"))));

        _box.Write("mine.txt", "mine");
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Move(JailPath.Parse("mine.txt"), JailPath.Parse("out/mine.txt"), overwrite: true)));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Move(JailPath.Parse("mine.txt"), JailPath.Parse("out/secret.txt"), overwrite: true)));

        Assert.Equal("mine", File.ReadAllText(_box.OnDisk("mine.txt")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void Links_are_refused_however_they_are_written_even_when_they_point_inside()
    {
        _box.Write("real/a.txt", "inside");
        _box.Link("relative", Path.GetRelativePath(_box.Home, _box.Outside));
        _box.Link("absolute", _box.Outside);
        _box.Link("inward", "real");
        _box.Link("proc", "/proc/self/root");

        foreach (var link in new[] { "relative", "absolute", "proc" })
        {
            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse($"{link}/secret.txt"))));
            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse(link))));
        }

        // Following even a harmless link would make the rule depend on where links point, which can change at any time.
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("inward/a.txt"))));
        Assert.Equal("inside", _box.Read(JailPath.Parse("real/a.txt")));
    }

    [JailFact]
    public void A_link_as_the_last_name_is_reported_as_a_link_and_never_opened()
    {
        _box.Link("secret", _box.SecretFile);
        _box.Link("folder", Path.Combine(_box.Outside, "folder"));

        var link = Jail.Stat(JailPath.Parse("secret"));
        Assert.Equal(JailEntryKind.Link, link.Kind);
        Assert.Equal(_box.SecretFile.Length, link.Size);
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("secret"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse("folder"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.CreateFolder(JailPath.Parse("folder"), parents: true)));
        Assert.Contains(Jail.List(JailPath.Root), entry => entry is { Name: "secret", Kind: JailEntryKind.Link });

        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void Deleting_a_link_deletes_the_link_only()
    {
        _box.Link("secret", _box.SecretFile);
        _box.Link("folder", Path.Combine(_box.Outside, "folder"));

        Jail.Delete(JailPath.Parse("secret"), recursive: false);
        Jail.Delete(JailPath.Parse("folder"), recursive: true);

        Assert.Empty(Jail.List(JailPath.Root));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_recursive_delete_removes_links_inside_the_tree_and_nothing_they_point_to()
    {
        _box.Write("tree/a.txt", "a");
        _box.Write("tree/sub/b.txt", "b");
        _box.Link("tree/sub/out", _box.Outside);
        _box.Link("tree/secret", _box.SecretFile);
        _box.Link("tree/folder", Path.Combine(_box.Outside, "folder"));
        _box.Link("tree/dangling", "/no/such/place");

        Jail.Delete(JailPath.Parse("tree"), recursive: true);

        Assert.False(Directory.Exists(_box.OnDisk("tree")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_folder_swapped_for_a_link_during_a_recursive_delete_is_unlinked_not_followed()
    {
        _box.Write("tree/sub/b.txt", "b");
        var opened = 0;
        Jail.BeforeFolderOpenedForRemoval = () =>
        {
            // First the tree, then tree/sub: swap tree/sub for a link after it was seen as a folder.
            if (++opened == 2)
            {
                Directory.Move(_box.OnDisk("tree/sub"), _box.OnDisk("moved-away"));
                _box.Link("tree/sub", Path.Combine(_box.Outside, "folder"));
            }
        };

        Jail.Delete(JailPath.Parse("tree"), recursive: true);

        Assert.Equal(2, opened);
        Assert.False(Directory.Exists(_box.OnDisk("tree")));
        Assert.True(File.Exists(_box.OnDisk("moved-away/b.txt")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_folder_replaced_by_a_link_after_it_was_checked_is_refused_when_used()
    {
        _box.Write("docs/secret.txt", "inside");
        Assert.Equal(JailEntryKind.Folder, Jail.Stat(JailPath.Parse("docs")).Kind);
        Assert.Equal("inside", _box.Read(JailPath.Parse("docs/secret.txt")));

        Directory.Move(_box.OnDisk("docs"), _box.OnDisk("old-docs"));
        _box.Link("docs", _box.Outside);

        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("docs/secret.txt"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse("docs"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("docs/new.txt"), overwrite: true)));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public async Task A_folder_and_a_link_swapped_back_and_forth_never_let_a_read_out()
    {
        const int Swaps = 2000;
        _box.Write("flip/secret.txt", "inside");
        var path = JailPath.Parse("flip/secret.txt");
        var done = false;
        var swapper = Task.Run(() =>
        {
            try
            {
                for (var i = 0; i < Swaps; i++)
                {
                    Directory.Move(_box.OnDisk("flip"), _box.OnDisk("parked"));
                    _box.Link("flip", _box.Outside);
                    File.Delete(_box.OnDisk("flip"));
                    Directory.Move(_box.OnDisk("parked"), _box.OnDisk("flip"));
                }
            }
            finally
            {
                Volatile.Write(ref done, true);
            }
        });

        var reads = 0;
        var refusals = 0;
        while (!Volatile.Read(ref done))
        {
            try
            {
                Assert.Equal("inside", _box.Read(path));
                reads++;
            }
            catch (SockitException exception) when (exception.Code == SockitErrorCode.OutsideHome || exception.Code == SockitErrorCode.NotFound)
            {
                refusals++;
            }
        }

        await swapper;
        Assert.True(reads + refusals > 0);
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_hard_link_is_the_same_file_inside_the_home_and_is_fine()
    {
        _box.Write("a.txt", "shared");
        Run("ln", _box.OnDisk("a.txt"), _box.OnDisk("b.txt"));

        Assert.Equal("shared", _box.Read(JailPath.Parse("b.txt")));
        Assert.Equal(Jail.Stat(JailPath.Parse("a.txt")).Inode, Jail.Stat(JailPath.Parse("b.txt")).Inode);
        Assert.Equal(JailEntryKind.File, Jail.Stat(JailPath.Parse("b.txt")).Kind);
    }

    [JailFact]
    public async Task A_fifo_is_refused_at_once_without_blocking_and_never_opened()
    {
        Run("mkfifo", _box.OnDisk("fifo"));

        // With no writer, any open for reading that is not O_PATH or O_NONBLOCK would hang here.
        var code = await Task.Run(() => CodeOf(() => Jail.OpenRead(JailPath.Parse("fifo")))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SockitErrorCode.SpecialFile, code);
        Assert.Equal(JailEntryKind.Special, Jail.Stat(JailPath.Parse("fifo")).Kind);
        Assert.Contains(Jail.List(JailPath.Root), entry => entry is { Name: "fifo", Kind: JailEntryKind.Special });
        Jail.Delete(JailPath.Parse("fifo"), recursive: false);
        Assert.False(File.Exists(_box.OnDisk("fifo")));
    }

    [JailFact]
    public async Task A_fifo_under_a_partial_name_is_refused_without_blocking()
    {
        Run("mkfifo", _box.OnDisk(JailPath.PartialNameOf("up.txt")));

        var code = await Task.Run(() => CodeOf(() => Jail.OpenForUpload(JailPath.Parse("up.txt"), overwrite: true))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SockitErrorCode.SpecialFile, code);
        Assert.Equal(SockitErrorCode.SpecialFile, CodeOf(() => Jail.PartialLength(JailPath.Parse("up.txt"))));
        Assert.True(Jail.DiscardPartial(JailPath.Parse("up.txt")));
        var (fresh, existing, _) = Jail.OpenForUpload(JailPath.Parse("up.txt"), overwrite: true);
        using (fresh)
        {
            Assert.Equal(0, existing);
        }
    }

    [JailFact]
    public void A_unix_socket_is_refused()
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_box.OnDisk("sock")));

        Assert.Equal(SockitErrorCode.SpecialFile, CodeOf(() => Jail.OpenRead(JailPath.Parse("sock"))));
        Assert.Equal(JailEntryKind.Special, Jail.Stat(JailPath.Parse("sock")).Kind);
    }

    [JailFact(NeedsRoot = true)]
    public void A_character_device_is_refused_and_listed_as_special()
    {
        Run("mknod", _box.OnDisk("null"), "c", "1", "3");
        Run("mknod", _box.OnDisk("tty"), "c", "5", "0");

        Assert.Equal(SockitErrorCode.SpecialFile, CodeOf(() => Jail.OpenRead(JailPath.Parse("null"))));
        Assert.Equal(SockitErrorCode.SpecialFile, CodeOf(() => Jail.OpenRead(JailPath.Parse("tty"))));
        Assert.Equal(JailEntryKind.Special, Jail.Stat(JailPath.Parse("null")).Kind);
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.OpenRead(JailPath.Parse("/dev/null"))));
    }

    [JailFact(NeedsRoot = true)]
    public async Task Without_proc_special_files_are_still_refused_before_any_open()
    {
        Jail.DescriptorFolder = "/no/proc/self/fd";
        _box.Write("a.txt", "regular");
        Run("mkfifo", _box.OnDisk("fifo"));
        Run("mknod", _box.OnDisk("null"), "c", "1", "3");
        _box.Link("link", _box.SecretFile);

        var fifo = await Task.Run(() => CodeOf(() => Jail.OpenRead(JailPath.Parse("fifo")))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("regular", _box.Read(JailPath.Parse("a.txt")));
        Assert.Equal(SockitErrorCode.SpecialFile, fifo);
        Assert.Equal(SockitErrorCode.SpecialFile, CodeOf(() => Jail.OpenRead(JailPath.Parse("null"))));
        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("link"))));
        using (var partial = Jail.OpenForUpload(JailPath.Parse("b.txt"), overwrite: true).Partial)
        {
            RandomAccess.Write(partial, "b"u8, 0);
        }

        var (resumed, existing, _) = Jail.OpenForUpload(JailPath.Parse("b.txt"), overwrite: true);
        using (resumed)
        {
            Assert.Equal(1, existing);
        }
    }

    [JailFact(NeedsMount = true)]
    public void A_mount_point_inside_the_home_is_not_crossed()
    {
        Directory.CreateDirectory(_box.OnDisk("mnt"));
        Run("mount", "-t", "tmpfs", "sockit-test", _box.OnDisk("mnt"));
        try
        {
            File.WriteAllText(_box.OnDisk("mnt/a.txt"), "other file system");

            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenRead(JailPath.Parse("mnt/a.txt"))));
            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.List(JailPath.Parse("mnt"))));
            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Delete(JailPath.Parse("mnt/a.txt"), recursive: false)));
            Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.Delete(JailPath.Parse("mnt"), recursive: true)));
            Assert.Equal(JailEntryKind.Folder, Jail.Stat(JailPath.Parse("mnt")).Kind);
            Assert.True(Jail.UsedBytes() > 0);
            Assert.True(File.Exists(_box.OnDisk("mnt/a.txt")));
        }
        finally
        {
            // Lazy, so a handle a failed assertion left open cannot leave the mount behind.
            Run("umount", "--lazy", _box.OnDisk("mnt"));
        }
    }

    public static TheoryData<string> HardToSeeNames =>
    [
        "a\0b", "\0", "line\nbreak", "carriage\rreturn", "tab\there", "bell\a", "escape\u001b[31m", "del\u007f",
        "c1\u0080", "csi\u009b", "nel\u0085", "lone\ud800", "lone\udc00low", "reversed\udc00\ud800", "a/\u0001/b",
        ".hidden.sockit-part", ".a.txt.sockit-part", ".sockit-part", "docs/.x.sockit-part",
        new string('a', 256), string.Concat(Enumerable.Repeat("中", 86)), string.Concat(Enumerable.Repeat("😀", 64)),
    ];

    // Enumerated at run time: test discovery would serialise the lone surrogates, which have no UTF-8 form.
    [Theory]
    [MemberData(nameof(HardToSeeNames), DisableDiscoveryEnumeration = true)]
    public void Hard_to_see_and_reserved_names_are_invalid(string clientPath)
    {
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(clientPath)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\0")]
    [InlineData(".a.sockit-part")]
    public void A_name_combined_onto_a_path_must_be_one_valid_name(string name)
    {
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse("docs").Combine(name)));
        Assert.False(JailPath.IsValidName(name));
    }

    [Fact]
    public void Over_long_and_over_deep_paths_are_invalid()
    {
        var longest = "/" + string.Join('/', Enumerable.Repeat(new string('a', 255), 16));
        Assert.Equal(4096, longest.Length);
        Assert.Equal(16, JailPath.Parse(longest).Components.Count);
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(longest + "b")));
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(new string('/', 4097))));

        var deepest = string.Join('/', Enumerable.Repeat("d", 64));
        Assert.Equal(64, JailPath.Parse(deepest).Components.Count);
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(deepest + "/d")));
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => JailPath.Parse(deepest).Combine("d")));
    }

    [JailFact]
    public void A_name_with_room_for_no_partial_cannot_be_uploaded_but_is_valid()
    {
        var longest = JailPath.Parse(new string('u', 242));
        var tooLong = JailPath.Parse(new string('u', 243));

        using (Jail.OpenForUpload(longest, overwrite: true).Partial)
        {
        }

        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => Jail.OpenForUpload(tooLong, overwrite: true)));
        Jail.CreateFolder(JailPath.Parse(new string('f', 255)), parents: false);
    }

    [JailFact]
    public void Names_the_client_cannot_name_are_left_out_of_listings_but_still_deleted_and_counted()
    {
        Directory.CreateDirectory(_box.OnDisk("odd"));
        File.WriteAllText(_box.OnDisk("odd/line\nbreak"), "x");
        File.WriteAllText(_box.OnDisk("odd/" + JailPath.PartialNameOf("upload")), "partial");
        File.WriteAllText(_box.OnDisk("odd/fine"), "x");
        Run("bash", "-c", "printf x > \"$1/$(printf 'bad\\377name')\"", "bash", _box.OnDisk("odd"));
        Assert.Equal(4, Directory.GetFiles(_box.OnDisk("odd")).Length);

        Assert.Equal(["fine"], Jail.List(JailPath.Parse("odd")).Select(entry => entry.Name));
        Assert.Equal(SockitErrorCode.NotEmpty, CodeOf(() => Jail.RemoveFolder(JailPath.Parse("odd"))));
        Jail.Delete(JailPath.Parse("odd"), recursive: true);
        Assert.False(Directory.Exists(_box.OnDisk("odd")));
    }

    [JailFact]
    public void The_home_itself_cannot_be_deleted_moved_or_replaced()
    {
        _box.Write("a.txt", "a");

        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Delete(JailPath.Parse("/"), recursive: true)));
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Delete(JailPath.Parse("."), recursive: true)));
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.RemoveFolder(JailPath.Root)));
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Move(JailPath.Root, JailPath.Parse("elsewhere"), overwrite: true)));
        Assert.Equal(SockitErrorCode.InvalidArgument, CodeOf(() => Jail.Move(JailPath.Parse("a.txt"), JailPath.Root, overwrite: true)));
        Assert.True(File.Exists(_box.OnDisk("a.txt")));
    }

    [JailFact]
    public void A_home_that_is_a_link_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_box.DataRoot, "bob-real"));
        File.CreateSymbolicLink(Path.Combine(_box.DataRoot, "mallory"), _box.Outside);

        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => HomeJail.Open(_box.DataRoot, "mallory")));
        _box.AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/etc")]
    [InlineData("a\0b")]
    [InlineData("new\nline")]
    public void A_user_name_that_cannot_be_a_folder_name_is_refused(string userName)
    {
        Assert.Equal(SockitErrorCode.InvalidName, CodeOf(() => HomeJail.Open(_box.DataRoot, userName)));
        Assert.Equal(["alice"], Directory.GetDirectories(_box.DataRoot).Select(Path.GetFileName));
    }
}
