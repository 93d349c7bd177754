using System.Text;
using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;
using Sockit.Server.Accounts;

namespace Sockit.Server.Tests.Accounts;

public sealed class UserStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sockit-users-{Guid.NewGuid():N}");

    private string FilePath => Path.Combine(_directory, "conf", "users.json");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Added_users_are_listed_sorted_with_their_permissions_and_quota()
    {
        var store = new UserStore(FilePath);

        store.Add("bob", "pw", Permissions.Chat);
        store.Add("alice", "pw", Permissions.Exec | Permissions.Files, quotaBytes: 1024);
        var users = new UserStore(FilePath).List();

        Assert.Equal(["alice", "bob"], users.Select(user => user.Name));
        Assert.Equal(Permissions.Exec | Permissions.Files, users[0].Permissions);
        Assert.Equal(1024, users[0].QuotaBytes);
    }

    [Fact]
    public void The_file_holds_a_verifier_that_checks_the_password_and_never_the_password()
    {
        var store = new UserStore(FilePath);

        store.Add("alice", "correct horse", Permissions.None);
        var verifier = store.Find("alice")!.Password!;

        Assert.DoesNotContain("correct horse", File.ReadAllText(FilePath), StringComparison.Ordinal);
        Assert.Equal(verifier.StoredKey, ScramCredentials.Create("correct horse", verifier.Iterations, verifier.Salt).StoredKey);
        Assert.NotEqual(verifier.StoredKey, ScramCredentials.Create("wrong", verifier.Iterations, verifier.Salt).StoredKey);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_file_and_its_folder_are_readable_by_their_owner_only_and_no_temporary_file_is_left()
    {
        var store = new UserStore(FilePath);

        store.Add("alice", "pw", Permissions.None);
        store.SetPassword("alice", "new");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(FilePath)!));
        Assert.Equal(["users.json"], Directory.GetFiles(Path.GetDirectoryName(FilePath)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Grant_and_revoke_change_only_the_named_permissions()
    {
        var store = new UserStore(FilePath);
        store.Add("alice", null, Permissions.Chat);

        store.Grant("alice", Permissions.Exec | Permissions.Admin);
        store.Revoke("alice", Permissions.Admin);

        Assert.Equal(Permissions.Chat | Permissions.Exec, store.Find("alice")!.Permissions);
    }

    [Fact]
    public void An_issued_key_is_stored_for_challenge_checks_and_can_be_revoked()
    {
        var store = new UserStore(FilePath);
        store.Add("robot", null, Permissions.Files);

        var key = store.IssueKey("robot");
        var nonce = HmacChallenge.NewNonce();
        var stored = Assert.Single(store.Find("robot")!.Keys);
        Assert.True(HmacChallenge.Verify(stored.Secret, nonce, HmacChallenge.ComputeResponse(key.Secret, nonce)));

        store.RevokeKey("robot", key.Id);
        Assert.Empty(store.Find("robot")!.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("a,b")]
    public void Invalid_names_are_refused(string name)
    {
        var failure = Assert.Throws<SockitException>(() => new UserStore(FilePath).Add(name, "pw", Permissions.None));

        Assert.Equal(SockitErrorCode.InvalidArgument, failure.Code);
    }

    [Fact]
    public void Duplicates_and_unknown_users_are_clear_errors()
    {
        var store = new UserStore(FilePath);
        store.Add("alice", "pw", Permissions.None);

        Assert.Contains("already exists", Assert.Throws<SockitException>(() => store.Add("alice", "pw", Permissions.None)).Message, StringComparison.Ordinal);
        Assert.Contains("no user 'zed'", Assert.Throws<SockitException>(() => store.Remove("zed")).Message, StringComparison.Ordinal);
        Assert.Contains("no user 'zed'", Assert.Throws<SockitException>(() => store.Grant("zed", Permissions.Exec)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_file_is_reported_not_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "{ not json", Encoding.UTF8);
        var store = new UserStore(FilePath);

        var failure = Assert.Throws<SockitException>(() => store.Add("alice", "pw", Permissions.None));

        Assert.Contains("not a valid users file", failure.Message, StringComparison.Ordinal);
        Assert.Equal("{ not json", File.ReadAllText(FilePath));
    }

    [Fact]
    public void Changes_from_many_writers_at_once_are_all_kept()
    {
        Parallel.For(0, 8, i => new UserStore(FilePath).Add($"user{i}", null, Permissions.None));

        Assert.Equal(8, new UserStore(FilePath).List().Count);
    }

    [Theory]
    [InlineData("exec,files", Permissions.Exec | Permissions.Files)]
    [InlineData("ALL", Permissions.Exec | Permissions.Files | Permissions.Chat | Permissions.Admin)]
    [InlineData("", Permissions.None)]
    public void Permission_names_parse_case_insensitively(string names, Permissions expected)
    {
        Assert.Equal(expected, UserStore.ParsePermissions([names]));
    }

    [Fact]
    public void Unknown_permission_names_are_refused()
    {
        Assert.Equal(SockitErrorCode.InvalidArgument, Assert.Throws<SockitException>(() => UserStore.ParsePermissions(["root"])).Code);
    }

    [Fact]
    public void Removing_a_user_removes_only_that_user()
    {
        var store = new UserStore(FilePath);
        store.Add("alice", "pw", Permissions.None);
        store.Add("bob", "pw", Permissions.None);

        store.Remove("alice");

        Assert.Equal(["bob"], store.List().Select(user => user.Name));
    }
}
