using System.Runtime.Versioning;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;
using static Sockit.Server.Tests.Files.JailSandbox;

namespace Sockit.Server.Tests.Files;

[SupportedOSPlatform("linux")]
public sealed class HomeJailUploadTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly JailSandbox _box = new();

    private HomeJail Jail => _box.Jail;

    public void Dispose() => _box.Dispose();

    [JailFact]
    public void An_upload_grows_in_a_hidden_owner_only_partial_then_commits_to_its_name()
    {
        var target = JailPath.Parse("docs/a.txt");
        Jail.CreateFolder(JailPath.Parse("docs"), parents: false);

        var (partial, existing, _) = Jail.OpenForUpload(target, overwrite: true);
        using (partial)
        {
            Assert.Equal(0, existing);
            RandomAccess.Write(partial, "hello"u8, 0);

            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_box.OnDisk("docs/.a.txt.sockit-part")));
            Assert.Empty(Jail.List(JailPath.Parse("docs")));
            Assert.Equal(5, Jail.PartialLength(target));
            Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Stat(target)));

            Jail.Commit(target, partial, overwrite: false);
        }

        Assert.Equal("hello", _box.Read(target));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_box.OnDisk("docs/a.txt")));
        Assert.Equal(["a.txt"], Directory.GetFileSystemEntries(_box.OnDisk("docs")).Select(Path.GetFileName));
        Assert.Equal(0, Jail.PartialLength(target));
    }

    [JailFact]
    public void A_second_upload_of_the_same_target_is_busy_until_the_first_lets_go()
    {
        var target = JailPath.Parse("a.txt");
        var first = Jail.OpenForUpload(target, overwrite: true);
        RandomAccess.Write(first.Partial, "12345"u8, 0);

        Assert.Equal(SockitErrorCode.Busy, CodeOf(() => Jail.OpenForUpload(target, overwrite: true)));
        Assert.Equal(SockitErrorCode.Busy, CodeOf(() => Jail.DiscardPartial(target)));
        using (Jail.OpenForUpload(JailPath.Parse("b.txt"), overwrite: true).Partial)
        {
            // Another target is not affected.
        }

        first.Partial.Dispose();
        var (resumed, existing, _) = Jail.OpenForUpload(target, overwrite: true);
        using (resumed)
        {
            Assert.Equal(5, existing);
            RandomAccess.Write(resumed, "678"u8, existing);
            Jail.Commit(target, resumed, overwrite: false);
        }

        Assert.Equal("12345678", _box.Read(target));
    }

    [JailFact]
    public void Commit_without_overwrite_keeps_the_existing_file_and_the_partial_for_a_retry()
    {
        _box.Write("a.txt", "old");
        var target = JailPath.Parse("a.txt");

        var (partial, _, _) = Jail.OpenForUpload(target, overwrite: true);
        using (partial)
        {
            RandomAccess.Write(partial, "new"u8, 0);

            Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.Commit(target, partial, overwrite: false)));
            Assert.Equal("old", _box.Read(target));
            Assert.Equal(3, Jail.PartialLength(target));

            Jail.Commit(target, partial, overwrite: true);
        }

        Assert.Equal("new", _box.Read(target));
        Assert.Equal(0, Jail.PartialLength(target));
    }

    [JailFact]
    public void An_existing_target_is_refused_before_any_partial_unless_overwritten_and_the_space_it_frees_is_reported()
    {
        var target = JailPath.Parse("a.txt");
        _box.Write("a.txt", "twelve bytes");
        _box.Link("link", _box.SecretFile);

        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.OpenForUpload(target, overwrite: false)));
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("link"), overwrite: false)));
        Assert.False(File.Exists(_box.OnDisk(JailPath.PartialNameOf("a.txt"))));

        using (var upload = Jail.OpenForUpload(target, overwrite: true))
        {
            // The space the home's usage counts for it (its blocks), which the upload frees once committed.
            Assert.Equal(Jail.Stat(target).AllocatedBytes, upload.ReplacedLength);
            Assert.True(upload.ReplacedLength > 0);
        }

        // A file with another hard link frees nothing when one of its names is replaced.
        _box.Write("shared.txt", "kept by its other name");
        Run("ln", _box.OnDisk("shared.txt"), _box.OnDisk("other-name.txt"));
        using (var overShared = Jail.OpenForUpload(JailPath.Parse("shared.txt"), overwrite: true))
        {
            Assert.Equal(0, overShared.ReplacedLength);
        }

        // A link is replaced as a name: what it points to is not freed, so it counts as nothing.
        using (var overLink = Jail.OpenForUpload(JailPath.Parse("link"), overwrite: true))
        {
            Assert.Equal(0, overLink.ReplacedLength);
        }

        using var fresh = Jail.OpenForUpload(JailPath.Parse("new.txt"), overwrite: false);
        Assert.Equal(0, fresh.ReplacedLength);
        Assert.Equal(0, fresh.ExistingLength);
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_partial_removed_or_replaced_behind_its_upload_is_never_committed()
    {
        var target = JailPath.Parse("a.txt");
        var partialOnDisk = _box.OnDisk(JailPath.PartialNameOf("a.txt"));
        using (var upload = Jail.OpenForUpload(target, overwrite: true))
        {
            RandomAccess.Write(upload.Partial, "lost"u8, 0);
            File.Delete(partialOnDisk);

            Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Commit(target, upload.Partial, overwrite: false)));
        }

        using (var upload = Jail.OpenForUpload(target, overwrite: true))
        {
            RandomAccess.Write(upload.Partial, "mine"u8, 0);
            File.Delete(partialOnDisk);
            File.WriteAllText(partialOnDisk, "planted");

            Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Commit(target, upload.Partial, overwrite: false)));
        }

        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Stat(target)));
    }

    [JailFact]
    public void Uploading_onto_a_folder_is_refused_and_onto_a_link_replaces_the_link_only()
    {
        Directory.CreateDirectory(_box.OnDisk("folder"));
        _box.Link("link", _box.SecretFile);

        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("folder"), overwrite: true)));
        Assert.Equal(SockitErrorCode.IsAFolder, CodeOf(() => Jail.OpenForUpload(JailPath.Root, overwrite: true)));
        Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("missing/a.txt"), overwrite: true)));
        Assert.Equal(SockitErrorCode.AlreadyExists, CodeOf(() => _box.Upload("link", "over the link")));
        Jail.DiscardPartial(JailPath.Parse("link"));
        _box.Upload("link", "over the link", overwrite: true);

        Assert.Equal(JailEntryKind.File, Jail.Stat(JailPath.Parse("link")).Kind);
        Assert.Equal("over the link", _box.Read(JailPath.Parse("link")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void A_commit_whose_partial_was_discarded_or_replaced_is_not_found()
    {
        var target = JailPath.Parse("a.txt");
        var (partial, _, _) = Jail.OpenForUpload(target, overwrite: true);
        using (partial)
        {
            File.Delete(_box.OnDisk(".a.txt.sockit-part"));
            File.WriteAllText(_box.OnDisk(".a.txt.sockit-part"), "planted");

            Assert.Equal(SockitErrorCode.NotFound, CodeOf(() => Jail.Commit(target, partial, overwrite: true)));
        }

        Assert.False(File.Exists(_box.OnDisk("a.txt")));
    }

    [JailFact]
    public void DiscardPartial_deletes_an_idle_partial_and_says_whether_there_was_one()
    {
        var target = JailPath.Parse("a.txt");
        using (var partial = Jail.OpenForUpload(target, overwrite: true).Partial)
        {
            RandomAccess.Write(partial, "abc"u8, 0);
        }

        Assert.True(Jail.DiscardPartial(target));
        Assert.False(Jail.DiscardPartial(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_box.Home));
        Assert.Equal(0, Jail.PartialLength(target));
    }

    [JailFact]
    public void A_partial_that_is_a_link_is_refused_and_its_target_untouched()
    {
        _box.Link(JailPath.PartialNameOf("a.txt"), _box.SecretFile);

        Assert.Equal(SockitErrorCode.OutsideHome, CodeOf(() => Jail.OpenForUpload(JailPath.Parse("a.txt"), overwrite: true)));
        Assert.True(Jail.DiscardPartial(JailPath.Parse("a.txt")));
        _box.AssertOutsideUntouched();
    }

    [JailFact]
    public void UsedBytes_counts_files_folders_and_partials_by_allocation_and_hard_links_once()
    {
        var empty = Jail.UsedBytes();
        _box.Write("docs/a.bin", new string('a', 1 << 20));
        var withFile = Jail.UsedBytes();

        var (partial, _, _) = Jail.OpenForUpload(JailPath.Parse("docs/b.bin"), overwrite: true);
        using (partial)
        {
            RandomAccess.Write(partial, new byte[1 << 20], 0);
            var withPartial = Jail.UsedBytes();

            Run("ln", _box.OnDisk("docs/a.bin"), _box.OnDisk("docs/a-again.bin"));
            using (var sparse = new FileStream(_box.OnDisk("sparse.bin"), FileMode.CreateNew))
            {
                sparse.SetLength(10L << 30);
            }

            var withLinkAndSparse = Jail.UsedBytes();

            Assert.InRange(withFile - empty, 1 << 20, 2 << 20);
            Assert.InRange(withPartial - withFile, 1 << 20, 2 << 20);
            Assert.InRange(withLinkAndSparse - withPartial, 0, 1 << 20);
        }
    }
}
