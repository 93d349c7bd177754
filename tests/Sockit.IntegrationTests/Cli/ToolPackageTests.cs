using System.Diagnostics;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Cli;

/// <summary>The README's way to install <c>sockit</c> as a command: pack the CLI as a .NET tool, install it, run it.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sockit-tool-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_cli_packs_as_a_dotnet_tool_that_installs_and_runs_as_sockit()
    {
        var artifacts = Path.Combine(_folder.FullName, "artifacts");
        var tools = Path.Combine(_folder.FullName, "tools");

        // Packing publishes the CLI once per runtime of the package (linux-x64 ReadyToRun, and the portable "any"), each
        // into a folder of its own, so the build these tests run beside is left alone.
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        await RunAsync(SockitProcess.DotnetHost, "pack", Path.Combine(SockitProcess.RepositoryRoot, "src", "Sockit.Cli"),
            "-c", configuration, "-o", artifacts, "-nodeReuse:false");
        await RunAsync(SockitProcess.DotnetHost, "tool", "install", "--tool-path", tools, "--source", artifacts, "sockit");
        var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "sockit.exe" : "sockit");
        var version = await RunAsync(command, "--version");

        Assert.Equal(
            ["sockit.0.1.0.nupkg", "sockit.any.0.1.0.nupkg", "sockit.linux-x64.0.1.0.nupkg"],
            Directory.GetFiles(artifacts).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(FileVersionInfo.GetVersionInfo(SockitProcess.DllPath).ProductVersion, version.Trim());

        // The machine's own build was installed: ReadyToRun on linux-x64, the portable one anywhere else.
        var installed = Directory.GetFiles(Path.Combine(tools, ".store"), "sockit.dll", SearchOption.AllDirectories);
        var expected = OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 ? "linux-x64" : "any";
        var dll = Assert.Single(installed);
        Assert.Equal(expected, Path.GetFileName(Path.GetDirectoryName(dll)));
        Assert.Equal(expected == "linux-x64", IsReadyToRun(dll));
    }

    /// <summary>Whether the assembly carries code compiled ahead of time (a ReadyToRun header beside its IL).</summary>
    private static bool IsReadyToRun(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(300));
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        return await output;
    }
}
