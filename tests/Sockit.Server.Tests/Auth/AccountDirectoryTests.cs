using Microsoft.Extensions.Logging.Abstractions;
using Sockit.Server.Accounts;
using Sockit.Server.Auth;

namespace Sockit.Server.Tests.Auth;

public sealed class AccountDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sockit-accounts-{Guid.NewGuid():N}");

    private string FilePath => Path.Combine(_directory, "users.json");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Logins_against_an_unchanged_file_read_it_once()
    {
        var store = new UserStore(FilePath);
        store.Add("alice", "pw", Permissions.Exec);
        var directory = new AccountDirectory(store, NullLogger<AccountDirectory>.Instance);
        _ = directory.ServerSecret; // creating the secret writes the file once more

        for (int i = 0; i < 100; i++)
        {
            Assert.NotNull(directory.Find("alice"));
            Assert.Null(directory.Find("mallory"));
            directory.NewScramServer();
        }

        Assert.Equal(1, directory.Loads);
    }

    [Fact]
    public void A_change_made_with_sockit_user_applies_to_the_next_login()
    {
        var store = new UserStore(FilePath);
        store.Add("alice", "pw", Permissions.Exec);
        var directory = new AccountDirectory(store, NullLogger<AccountDirectory>.Instance);
        _ = directory.ServerSecret;
        Assert.Null(directory.Find("bob"));

        new UserStore(FilePath).Add("bob", "pw", Permissions.Files);
        new UserStore(FilePath).Revoke("alice", Permissions.Exec);

        Assert.Equal(Permissions.Files, directory.Find("bob")?.Permissions);
        Assert.Equal(Permissions.None, directory.Find("alice")?.Permissions);
        new UserStore(FilePath).Remove("bob");
        Assert.Null(directory.Find("bob"));
    }

    [Fact]
    public void Without_an_accounts_file_there_are_no_accounts_until_one_appears()
    {
        var directory = new AccountDirectory(new UserStore(FilePath), NullLogger<AccountDirectory>.Instance);
        Assert.Null(directory.Find("alice"));

        new UserStore(FilePath).Add("alice", "pw", Permissions.None);

        Assert.NotNull(directory.Find("alice"));
    }
}
