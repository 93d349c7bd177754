namespace Sockit.Server.Tests.Files;

/// <summary>
/// A fact that is skipped, not failed, off Linux (openat2 and statx are Linux's), and where asked, when the tests do not
/// run as root (mknod of a device) or cannot mount (a tmpfs inside a home).
/// </summary>
public sealed class JailFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> CanMount = new(ProbeMount);

    public JailFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Homes are Linux-only (openat2).";
        }
    }

    /// <summary>Skip unless the tests run as root.</summary>
    public bool NeedsRoot
    {
        get => false;
        set
        {
            if (value && Skip is null && !Environment.IsPrivilegedProcess)
            {
                Skip = "Needs root (mknod).";
            }
        }
    }

    /// <summary>Skip unless a tmpfs can be mounted (root with CAP_SYS_ADMIN, as on the project's machines).</summary>
    public bool NeedsMount
    {
        get => false;
        set
        {
            if (value && Skip is null && !(Environment.IsPrivilegedProcess && CanMount.Value))
            {
                Skip = "Needs to mount a tmpfs.";
            }
        }
    }

    private static bool ProbeMount()
    {
        var folder = Directory.CreateTempSubdirectory("sockit-mount-probe-").FullName;
        try
        {
            if (!JailSandbox.TryRun("mount", "-t", "tmpfs", "sockit-probe", folder))
            {
                return false;
            }

            return JailSandbox.TryRun("umount", folder);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
