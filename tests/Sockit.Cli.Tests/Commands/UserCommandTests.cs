using Sockit.Server.Accounts;

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
        Assert.Contains("1,048,576", listed.Output, StringComparison.Ordinal);
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
    public async Task The_iteration_count_is_configurable_but_never_below_4096()
    {
        var added = await CliHarness.RunAsync(["user", "add", "carol", "--iterations", "10000", "--password-stdin", "--store", Store], input: "s3cret\n");
        var tooFew = await CliHarness.RunAsync(["user", "add", "dave", "--iterations", "1000", "--password-stdin", "--store", Store], input: "s3cret\n");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(10000, new UserStore(Store).Find("carol")!.Password!.Iterations);
        Assert.Equal(2, tooFew.ExitCode);
        Assert.Contains("at least 4096", tooFew.Error, StringComparison.Ordinal);
        Assert.Null(new UserStore(Store).Find("dave"));
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
        var secret = key.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(Convert.FromBase64String(secret), Assert.Single(account.Keys).Secret);

        var removed = await CliHarness.RunAsync(["user", "remove", "carol", "--store", Store]);
        Assert.Equal(0, removed.ExitCode);
        Assert.Null(new UserStore(Store).Find("carol"));
    }

    [Fact]
    public async Task Unknown_users_and_permissions_are_one_line_usage_errors()
    {
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
}
