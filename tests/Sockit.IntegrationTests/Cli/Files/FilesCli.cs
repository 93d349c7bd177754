using System.Security.Cryptography;
using Sockit.IntegrationTests.Files;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Cli.Files;

/// <summary>
/// The real <c>sockit</c> file verbs against a test server, logged in as its <c>alice</c> (who may use files) through
/// the environment, as a script would.
/// </summary>
internal sealed class FilesCli : IAsyncDisposable
{
    private FilesCli(FilesServer files)
    {
        Files = files;
    }

    public FilesServer Files { get; }

    /// <summary>A local folder for the test's files.</summary>
    public string Local => Files.Local.FullName;

    /// <summary>alice's home on the server's disk, to check what arrived there.</summary>
    public string Home => Path.Combine(Path.GetDirectoryName(Files.Server.Server.UsersFile)!, "homes", FilesServer.User);

    public Dictionary<string, string> Environment => new()
    {
        ["SOCKIT_SERVER"] = Files.Server.Framed.ToString(),
        ["SOCKIT_USER"] = FilesServer.User,
        ["SOCKIT_PASSWORD"] = FilesServer.Password,
    };

    public static async Task<FilesCli> StartAsync(long? quota = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await FilesServer.StartAsync(quota, settings));

    /// <summary>Runs <c>sockit</c> with <paramref name="arguments"/> to its end.</summary>
    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        SockitProcess.RunWithAsync(arguments, Environment);

    /// <summary>Runs <c>sockit</c> with <paramref name="input"/> piped in.</summary>
    public Task<(int ExitCode, string Output, string Error)> RunWithInputAsync(string input, params string[] arguments) =>
        SockitProcess.RunWithAsync(arguments, Environment, input);

    /// <summary>A local file under <see cref="Local"/> (folders made as needed) of <paramref name="length"/> pseudo-random bytes.</summary>
    public string MakeFile(string relative, int length, int seed = 1)
    {
        var path = Path.Combine(Local, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
        return path;
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public ValueTask DisposeAsync() => Files.DisposeAsync();
}
