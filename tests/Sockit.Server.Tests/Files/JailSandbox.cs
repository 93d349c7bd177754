using System.Diagnostics;
using Sockit.Protocol.Errors;
using Sockit.Server.Files.Jail;

namespace Sockit.Server.Tests.Files;

/// <summary>
/// A temporary data root with one user's home opened as a <see cref="HomeJail"/>, and beside it, outside every home,
/// a folder with a secret an attack must never read, change or delete.
/// </summary>
internal sealed class JailSandbox : IDisposable
{
    public const string User = "alice";
    public const string Secret = "the secret outside every home";

    public JailSandbox()
    {
        Root = Directory.CreateTempSubdirectory("sockit-jail-").FullName;
        DataRoot = Path.Combine(Root, "data");
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Path.Combine(Outside, "folder"));
        File.WriteAllText(SecretFile, Secret);
        File.WriteAllText(Path.Combine(Outside, "folder", "inner.txt"), Secret);
        Jail = HomeJail.Open(DataRoot, User);
        Home = Path.Combine(DataRoot, User);
    }

    public string Root { get; }

    public string DataRoot { get; }

    /// <summary>A folder outside the data root: what attacks aim at.</summary>
    public string Outside { get; }

    public string SecretFile => Path.Combine(Outside, "secret.txt");

    public string Home { get; }

    public HomeJail Jail { get; }

    /// <summary>Where a path of the home is on disk, for setting up and checking behind the jail's back.</summary>
    public string OnDisk(string relative) => Path.Combine(Home, relative);

    public void Write(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(OnDisk(relative))!);
        File.WriteAllText(OnDisk(relative), content);
    }

    public void Link(string relative, string target) => File.CreateSymbolicLink(OnDisk(relative), target);

    public string Read(JailPath path)
    {
        using var handle = Jail.OpenRead(path);
        using var stream = new FileStream(handle, FileAccess.Read);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Uploads <paramref name="content"/> to <paramref name="path"/> from scratch and commits it.</summary>
    public void Upload(string path, string content, bool overwrite = false)
    {
        var target = JailPath.Parse(path);
        using var upload = Jail.OpenForUpload(target, overwrite: true);
        RandomAccess.Write(upload.Partial, System.Text.Encoding.UTF8.GetBytes(content), 0);
        Jail.Commit(target, upload.Partial, overwrite);
    }

    /// <summary>The outside folder is exactly as the sandbox made it.</summary>
    public void AssertOutsideUntouched()
    {
        Assert.Equal(Secret, File.ReadAllText(SecretFile));
        Assert.Equal(Secret, File.ReadAllText(Path.Combine(Outside, "folder", "inner.txt")));
        var names = Directory.EnumerateFileSystemEntries(Outside, "*", SearchOption.AllDirectories)
            .Select(name => Path.GetRelativePath(Outside, name))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["folder", Path.Combine("folder", "inner.txt"), "secret.txt"], names);
    }

    public static SockitErrorCode CodeOf(Action action) => Assert.Throws<SockitException>(action).Code;

    public static void Run(string program, params string[] arguments) =>
        Assert.True(TryRun(program, arguments), $"{program} {string.Join(' ', arguments)} failed");

    public static bool TryRun(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        Jail.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
