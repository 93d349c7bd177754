using System.Reflection;

namespace Sockit.Server.Hosting;

/// <summary>The server software's version, as the hello reports it.</summary>
public static class ServerVersion
{
    /// <summary>The informational version of this assembly, without build metadata.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(ServerVersion).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
