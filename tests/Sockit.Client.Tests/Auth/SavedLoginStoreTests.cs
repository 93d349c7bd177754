using Sockit.Client.Auth;
using Sockit.Protocol.Addressing;
using Sockit.Protocol.Errors;

namespace Sockit.Client.Tests.Auth;

public sealed class SavedLoginStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-logins-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Nothing_is_saved_for_an_unknown_server_and_forgetting_it_says_so()
    {
        var store = new SavedLoginStore(Path.Combine(_folder.FullName, "logins.json"));
        var address = SockitAddress.Parse("example.com:9000");

        Assert.Null(store.Find(address));
        Assert.False(store.Remove(address));
    }

    [Fact]
    public void A_saved_logins_file_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder.FullName, "logins.json");
        File.WriteAllText(path, """{"version":1,"logins":{}}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<SockitException>(() => new SavedLoginStore(path).Find(SockitAddress.Parse("example.com:9000")));

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_file_is_reported_not_overwritten()
    {
        var path = Path.Combine(_folder.FullName, "logins.json");
        File.WriteAllText(path, "{ not json");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<SockitException>(() => new SavedLoginStore(path).Remove(SockitAddress.Parse("example.com:9000")));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Equal("{ not json", File.ReadAllText(path));
    }
}
