using Sockit.Protocol.Auth;
using Sockit.Protocol.Errors;

namespace Sockit.LocalFiles.Tests;

public sealed class KeyCredentialFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-keyfile-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    [Fact]
    public void A_written_file_reads_back_and_only_its_owner_can_read_it()
    {
        var path = PathOf("sub/local.json");
        var secret = HmacChallenge.NewKey();

        KeyCredentialFile.Write(path, new KeyCredential("admin", "ab12cd34", secret));
        var read = KeyCredentialFile.Read(path);

        Assert.Equal(("admin", "ab12cd34"), (read.User, read.KeyId));
        Assert.Equal(secret, read.Secret);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(PathOf("sub")));
        }
    }

    [Fact]
    public void The_line_sockit_user_key_prints_is_a_key_file_too()
    {
        var secret = HmacChallenge.NewKey();
        var path = PathOf("ci.key");
        File.WriteAllText(path, Convert.ToBase64String(secret) + "\n");
        MakePrivate(path);

        var read = KeyCredentialFile.Read(path);

        Assert.Null(read.User);
        Assert.Equal(secret, read.Secret);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("c2hvcnQ=")]
    [InlineData("{\"user\":\"x\"}")]
    [InlineData("{broken")]
    public void A_file_without_a_usable_key_is_refused_clearly(string content)
    {
        var path = PathOf("bad.key");
        File.WriteAllText(path, content);
        MakePrivate(path);

        var error = Assert.Throws<SockitException>(() => KeyCredentialFile.Read(path));

        Assert.Equal(SockitErrorCode.InvalidArgument, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = PathOf("open.key");
        File.WriteAllText(path, Convert.ToBase64String(HmacChallenge.NewKey()));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<SockitException>(() => KeyCredentialFile.Read(path));

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var error = Assert.Throws<SockitException>(() => KeyCredentialFile.Read(PathOf("missing.key")));

        Assert.Contains("missing.key", error.Message, StringComparison.Ordinal);
    }

    private static void MakePrivate(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
