namespace Sockit.LocalFiles;

/// <summary>
/// The folder where Sockit keeps a user's files (accounts, local login, saved logins, known hosts):
/// <c>$XDG_CONFIG_HOME/sockit</c>, else <c>~/.config/sockit</c>.
/// </summary>
public static class ConfigDirectory
{
    /// <summary>The name of the local login file the server writes and the client reads.</summary>
    public const string LocalCredentialsFileName = "local-credentials.json";

    /// <summary>The name of the default accounts file.</summary>
    public const string UsersFileName = "users.json";

    /// <summary>The folder, read from the environment through <paramref name="getEnvironmentVariable"/>.</summary>
    public static string Resolve(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var configHome = getEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            var home = getEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            configHome = Path.Combine(home, ".config");
        }

        return Path.Combine(configHome, "sockit");
    }
}
