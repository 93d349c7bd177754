using Sockit.Server.Accounts;
using Sockit.LocalFiles;

namespace Sockit.Cli.Tests.Commands;

public sealed class UserCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sockit-cli-users-{Guid.NewGuid():N}");

    private string Store => Path.Combine(_directory, "users.json");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Add_with_a_piped_password_creates_an_account_that_list_shows_without_secrets()
    {
        var added = await CliHarness.RunAsync(["user", "add", "alice", "-p", "exec,files", "--quota", "1048576", "--password-stdin", "--store", Store], input: "s3cret\n");
        var listed = await CliHarness.RunAsync(["user", "list", "--store", Store]);

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("added alice (exec,files)", added.Output, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("alice", listed.Output, StringComparison.Ordinal);
        Assert.Contains("1048576", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", await File.ReadAllTextAsync(Store), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_can_be_revoked_by_its_id()
    {
        await CliHarness.RunAsync(["user", "add", "ci", "--no-password", "--store", Store]);
        await CliHarness.RunAsync(["user", "key", "ci", "--store", Store]);
        var id = new UserStore(Store).Find("ci")!.Keys.Single().Id;

        var revoked = await CliHarness.RunAsync(["user", "key", "ci", "--revoke", id, "--store", Store]);
        var again = await CliHarness.RunAsync(["user", "key", "ci", "--revoke", id, "--store", Store]);

        Assert.Equal((0, $"key {id} of ci revoked\n"), (revoked.ExitCode, revoked.Output));
        Assert.Empty(new UserStore(Store).Find("ci")!.Keys);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"no key '{id}'", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_iteration_count_is_configurable_from_4096_to_ten_million()
    {
        var added = await CliHarness.RunAsync(["user", "add", "carol", "--iterations", "10000", "--password-stdin", "--store", Store], input: "s3cret\n");
        var tooFew = await CliHarness.RunAsync(["user", "add", "dave", "--iterations", "1000", "--password-stdin", "--store", Store], input: "s3cret\n");
        var tooMany = await CliHarness.RunAsync(["user", "add", "erin", "--iterations", "10000001", "--password-stdin", "--store", Store], input: "s3cret\n");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(10000, new UserStore(Store).Find("carol")!.Password!.Iterations);
        Assert.Equal(2, tooFew.ExitCode);
        Assert.Contains("at least 4096", tooFew.Error, StringComparison.Ordinal);
        Assert.Null(new UserStore(Store).Find("dave"));
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("at most 10000000", tooMany.Error, StringComparison.Ordinal);
        Assert.Null(new UserStore(Store).Find("erin"));
    }

    [Fact]
    public async Task Without_a_terminal_or_password_stdin_add_refuses_instead_of_hanging()
    {
        var result = await CliHarness.RunAsync(["user", "add", "bob", "--store", Store]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--password-stdin", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Store));
    }

    [Fact]
    public async Task Grant_revoke_passwd_key_and_remove_work_on_the_same_file()
    {
        await CliHarness.RunAsync(["user", "add", "carol", "--no-password", "--store", Store]);

        var granted = await CliHarness.RunAsync(["user", "grant", "carol", "all", "--store", Store]);
        var revoked = await CliHarness.RunAsync(["user", "revoke", "carol", "admin", "--store", Store]);
        var passwd = await CliHarness.RunAsync(["user", "passwd", "carol", "--password-stdin", "--store", Store], input: "new-password\n");
        var key = await CliHarness.RunAsync(["user", "key", "carol", "--store", Store]);
        var account = new UserStore(Store).Find("carol")!;

        Assert.Equal(0, granted.ExitCode + revoked.ExitCode + passwd.ExitCode + key.ExitCode);
        Assert.Equal(Permissions.Exec | Permissions.Files | Permissions.Chat, account.Permissions);
        Assert.NotNull(account.Password);
        var secret = key.Output.TrimEnd('\n');
        Assert.Equal(Convert.FromBase64String(secret), Assert.Single(account.Keys).Secret);

        var removed = await CliHarness.RunAsync(["user", "remove", "carol", "--store", Store]);
        Assert.Equal(0, removed.ExitCode);
        Assert.Null(new UserStore(Store).Find("carol"));
    }

    [Fact]
    public async Task Unknown_users_and_permissions_are_one_line_usage_errors()
    {
        await CliHarness.RunAsync(["user", "add", "carol", "--no-password", "--store", Store]);
        var unknownUser = await CliHarness.RunAsync(["user", "passwd", "nobody", "--password-stdin", "--store", Store], input: "x\n");
        var unknownPermission = await CliHarness.RunAsync(["user", "add", "dave", "-p", "root", "--no-password", "--store", Store]);

        Assert.Equal((2, "sockit: no user 'nobody'\n"), (unknownUser.ExitCode, unknownUser.Error));
        Assert.Equal(2, unknownPermission.ExitCode);
        Assert.Contains("unknown permission 'root'", unknownPermission.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil\u001b[31m", @"'evil\u001b[31m' is not a valid user name")]
    [InlineData("alice\n", @"'alice\u000a' is not a valid user name")]
    [InlineData("ro\rot", @"'ro\u000dot' is not a valid user name")]
    public async Task A_user_name_with_a_control_character_is_refused_and_shown_escaped(string name, string says)
    {
        var added = await CliHarness.RunAsync(["user", "add", name, "--no-password", "--store", Store]);

        Assert.Equal((2, $"sockit: {says}: use 1 to 64 letters, digits, '.', '_', '-' or '@'\n"), (added.ExitCode, added.Error));
        Assert.False(File.Exists(Store));
    }

    [Fact]
    public async Task A_missing_user_is_named_escaped()
    {
        // The store exists (a users file named with --store must), the user does not.
        Assert.Equal(0, (await CliHarness.RunAsync(["user", "add", "someone", "--no-password", "--store", Store])).ExitCode);
        var removed = await CliHarness.RunAsync(["user", "remove", "x\u001b]0;owned\u0007", "--store", Store]);
        var passwd = await CliHarness.RunAsync(["user", "passwd", "x\u001b[2J", "--password-stdin", "--store", Store], input: "x\n");

        Assert.Equal((2, "sockit: no user 'x\\u001b]0;owned\\u0007'\n"), (removed.ExitCode, removed.Error));
        Assert.Equal((2, "sockit: no user 'x\\u001b[2J'\n"), (passwd.ExitCode, passwd.Error));
    }

    [Fact]
    public async Task The_store_defaults_to_SOCKIT_USERS()
    {
        var result = await CliHarness.RunAsync(["user", "add", "erin", "--no-password"], environment: new Dictionary<string, string> { ["SOCKIT_USERS"] = Store });

        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(new UserStore(Store).Find("erin"));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("remove", "bob")]
    [InlineData("key", "bob")]
    [InlineData("grant", "bob", "exec")]
    public async Task A_users_file_named_with_store_that_does_not_exist_is_an_error_not_an_empty_store(params string[] command)
    {
        var result = await CliHarness.RunAsync(["user", .. command, "--store", Store]);

        var line = result.AssertOneLineFailure(ExitCode.Usage);
        Assert.Equal($"sockit: no users file {Store} (named by --store); 'sockit user add' creates one", line);
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(Store));
    }

    [Fact]
    public async Task A_users_file_named_by_SOCKIT_USERS_that_does_not_exist_is_an_error_too()
    {
        var result = await CliHarness.RunAsync(["user", "list"], environment: new Dictionary<string, string> { ["SOCKIT_USERS"] = Store });

        var line = result.AssertOneLineFailure(ExitCode.Usage);
        Assert.Contains("(named by $SOCKIT_USERS)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_default_users_file_list_shows_no_users()
    {
        var home = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(_directory, "home") };

        var piped = await CliHarness.RunAsync(["user", "list"], environment: home);
        var atTerminal = await CliHarness.RunAsync(["user", "list"], environment: home, outputIsTerminal: true);

        Assert.Equal((0, "name\tpermissions\tquota\tpassword\tkeys\n", ""), (piped.ExitCode, piped.Output, piped.Error));
        Assert.Equal((0, $"no users in {Path.Combine(_directory, "home", "sockit", "users.json")}\n"), (atTerminal.ExitCode, atTerminal.Output));
    }

    [Fact]
    public async Task Piped_list_is_plain_text_a_header_and_a_tab_separated_line_per_account()
    {
        await CliHarness.RunAsync(["user", "add", "alice", "-p", "exec,files", "--quota", "1048576", "--password-stdin", "--store", Store], input: "pw\n");
        await CliHarness.RunAsync(["user", "add", "ci", "--no-password", "--store", Store]);
        await CliHarness.RunAsync(["user", "key", "ci", "--store", Store]);
        var keyId = new UserStore(Store).Find("ci")!.Keys.Single().Id;

        var piped = await CliHarness.RunAsync(["user", "list", "--store", Store]);
        var atTerminal = await CliHarness.RunAsync(["user", "list", "--store", Store], outputIsTerminal: true);

        Assert.Equal(0, piped.ExitCode);
        Assert.Equal(
            $"name\tpermissions\tquota\tpassword\tkeys\nalice\texec,files\t1048576\tyes\t-\nci\t-\t-\tno\t{keyId}\n",
            piped.Output);

        // At a terminal, a drawn table, numbers grouped for reading; still no escape codes.
        Assert.Equal(0, atTerminal.ExitCode);
        Assert.Contains("─", atTerminal.Output, StringComparison.Ordinal);
        Assert.Contains("1,048,576", atTerminal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", atTerminal.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_prints_only_the_key_on_standard_output_and_the_notice_on_standard_error()
    {
        await CliHarness.RunAsync(["user", "add", "ci", "--no-password", "--store", Store]);

        var result = await CliHarness.RunAsync(["user", "key", "ci", "--store", Store]);

        var key = new UserStore(Store).Find("ci")!.Keys.Single();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Convert.ToBase64String(key.Secret) + "\n", result.Output);
        Assert.StartsWith($"key {key.Id} for ci (shown once, keep it secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_out_writes_a_private_key_file_and_replaces_one_only_with_force()
    {
        await CliHarness.RunAsync(["user", "add", "ci", "--no-password", "--store", Store]);
        var file = Path.Combine(_directory, "keys", "ci.key");

        var written = await CliHarness.RunAsync(["user", "key", "ci", "--out", file, "--store", Store]);
        var first = KeyCredentialFile.Read(file);
        var refused = await CliHarness.RunAsync(["user", "key", "ci", "--out", file, "--store", Store]);
        var replaced = await CliHarness.RunAsync(["user", "key", "ci", "--out", file, "--force", "--store", Store]);
        var second = KeyCredentialFile.Read(file);

        Assert.Equal((0, $"key {first.KeyId} for ci written to {file} (readable only by you)\n", ""), (written.ExitCode, written.Output, written.Error));
        Assert.Equal("ci", first.User);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal($"sockit: {file} already exists; --force replaces it", refused.AssertOneLineFailure(ExitCode.Usage));
        Assert.Equal(0, replaced.ExitCode);
        Assert.NotEqual(first.KeyId, second.KeyId);

        // The refused run issued nothing: the account holds exactly the two keys that were written.
        Assert.Equal([first.KeyId, second.KeyId], new UserStore(Store).Find("ci")!.Keys.Select(k => k.Id));
    }

    [Fact]
    public async Task A_key_file_that_cannot_be_written_leaves_no_key_behind()
    {
        await CliHarness.RunAsync(["user", "add", "ci", "--no-password", "--store", Store]);
        var blocker = Path.Combine(_directory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");

        var result = await CliHarness.RunAsync(["user", "key", "ci", "--out", Path.Combine(blocker, "ci.key"), "--store", Store]);

        var line = result.AssertOneLineFailure(ExitCode.Usage);
        Assert.EndsWith("(no key was issued)", line, StringComparison.Ordinal);
        Assert.Empty(new UserStore(Store).Find("ci")!.Keys);
    }
}
