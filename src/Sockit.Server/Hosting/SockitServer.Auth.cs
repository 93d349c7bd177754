using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sockit.LocalFiles;
using Sockit.Server.Accounts;
using Sockit.Server.Auth;
using Sockit.Server.Sessions;

namespace Sockit.Server.Hosting;

public sealed partial class SockitServer
{
    /// <summary>The accounts file logins read.</summary>
    public string UsersFile => _app.Services.GetRequiredService<AccountDirectory>().Store.Path;

    /// <summary>Where the local login key is kept, or <see langword="null"/> when local login is off.</summary>
    public string? LocalCredentialsFile => Options.Auth.LocalLogin ? _app.Services.GetRequiredService<LocalLogin>().CredentialsFile : null;

    private static void AddAuth(IServiceCollection services, SockitServerOptions options, SockitServerSettings settings)
    {
        var auth = options.Auth;
        var configFolder = settings.ConfigFile is { } file ? Path.GetDirectoryName(Path.GetFullPath(file))! : null;
        // SOCKIT_ settings follow UseEnvironment; where the user's config folder is (XDG_CONFIG_HOME, HOME) does not.
        var environment = settings.UseEnvironment ? Environment.GetEnvironmentVariable : (Func<string, string?>)(_ => null);
        var defaultFolder = ConfigDirectory.Resolve();

        // Beside the config file when there is one, as an operator keeps them together; else where 'sockit user' looks.
        var usersFile = auth.UsersFile is { Length: > 0 } configured
            ? Path.GetFullPath(configured, configFolder ?? Environment.CurrentDirectory)
            : environment("SOCKIT_USERS") is { Length: > 0 } fromEnvironment
                ? Path.GetFullPath(fromEnvironment)
                : Path.Combine(configFolder ?? defaultFolder, ConfigDirectory.UsersFileName);
        var credentialsFile = auth.LocalCredentialsFile is { Length: > 0 } local
            ? Path.GetFullPath(local, configFolder ?? Environment.CurrentDirectory)
            : Path.Combine(defaultFolder, ConfigDirectory.LocalCredentialsFileName);

        services.AddSingleton(auth);
        services.AddSingleton(provider => new AccountDirectory(
            new UserStore(usersFile), provider.GetRequiredService<ILogger<AccountDirectory>>()));
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton(provider => new LocalLogin(
            auth, provider.GetRequiredService<AccountDirectory>(), credentialsFile, provider.GetRequiredService<ILogger<LocalLogin>>()));
        services.AddSockitOperation<AuthOperation>();
        services.AddSockitOperation<WhoAmIOperation>();
    }
}
