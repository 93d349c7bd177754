using Sockit.Client;
using Sockit.Client.Auth;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.LocalFiles;

namespace Sockit.IntegrationTests.Auth;

public sealed class LocalLoginTests
{
    [Fact]
    public async Task First_start_creates_an_admin_and_a_private_key_file_that_logs_in()
    {
        await using var server = await TestServer.StartAsync();
        var file = server.Server.LocalCredentialsFile!;

        var saved = KeyCredentialFile.Read(file);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal("admin", saved.User);
        await using var client = await SockitClient.ConnectAsync(
            server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromKey(saved.User!, saved.Secret) });
        Assert.Equal(["exec", "files", "chat", "admin"], client.User!.Permissions);
    }

    [Fact]
    public async Task A_restart_keeps_the_key_and_a_lost_file_gets_a_new_one()
    {
        var state = Directory.CreateTempSubdirectory("sockit-test-");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Sockit:Auth:UsersFile"] = Path.Combine(state.FullName, "users.json"),
                ["Sockit:Auth:LocalCredentialsFile"] = Path.Combine(state.FullName, "local.json"),
            };
            byte[] first;
            await using (var server = await TestServer.StartAsync(settings))
            {
                first = KeyCredentialFile.Read(server.Server.LocalCredentialsFile!).Secret;
            }

            await using (var server = await TestServer.StartAsync(settings))
            {
                Assert.Equal(first, KeyCredentialFile.Read(server.Server.LocalCredentialsFile!).Secret);
                Assert.Single(server.Users.Find("admin")!.Keys);
                File.Delete(server.Server.LocalCredentialsFile!);
            }

            await using (var server = await TestServer.StartAsync(settings))
            {
                var renewed = KeyCredentialFile.Read(server.Server.LocalCredentialsFile!);
                Assert.NotEqual(first, renewed.Secret);
                await using var client = await SockitClient.ConnectAsync(
                    server.Framed, new SockitClientOptions { Credentials = SockitCredentials.FromKey("admin", renewed.Secret) });
                Assert.Equal("admin", client.User!.Name);
            }
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Local_login_can_be_turned_off()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Sockit:Auth:LocalLogin"] = "false" });

        Assert.Null(server.Server.LocalCredentialsFile);
        Assert.Empty(server.Users.List());
    }
}
