namespace Sockit.Server.Tests.Exec;

/// <summary>A fact that is skipped, not failed, where posix_spawn, ptys and /proc as Linux has them are missing.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "The posix_spawn spawner is Linux-only.";
        }
    }
}
