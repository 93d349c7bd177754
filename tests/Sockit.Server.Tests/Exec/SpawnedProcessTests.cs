using System.Text;
using Sockit.Server.Exec.Internal;

namespace Sockit.Server.Tests.Exec;

public sealed class SpawnedProcessTests : IDisposable
{
    // A safety net only: every test synchronises on output or exit, and finishes far sooner.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));

    private CancellationToken Token => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [LinuxFact]
    public async Task Stdout_and_stderr_are_kept_apart()
    {
        using var child = Sh("echo out; echo err >&2");

        var output = ReadAllAsync(child.StandardOutput!);
        var error = ReadAllAsync(child.StandardError!);

        Assert.Equal("out\n", await output);
        Assert.Equal("err\n", await error);
        Assert.Equal(0, (await child.WaitForExitAsync(Token)).ExitCode);
    }

    [LinuxFact]
    public async Task What_has_arrived_can_be_read_without_waiting_and_nothing_more()
    {
        using var child = Sh("printf abc; read x");
        var stdout = (ChannelStream)child.StandardOutput!;
        var first = new byte[1];
        var rest = new byte[16];

        Assert.Equal(1, await stdout.ReadAsync(first, Token));
        int more = stdout.ReadAvailable(rest);
        int after = stdout.ReadAvailable(rest.AsSpan(more));

        Assert.Equal("abc", Encoding.ASCII.GetString([.. first, .. rest.AsSpan(0, more)]));
        Assert.Equal(0, after);
        child.StandardInput!.Dispose();
        Assert.Equal(0, await stdout.ReadAsync(rest, Token));
    }

    [LinuxFact]
    public async Task Stdin_piped_to_sort_comes_back_sorted()
    {
        using var child = SpawnedProcess.Start(new SpawnOptions { FileName = "sort" });

        await child.StandardInput!.WriteAsync("pear\napple\nfig\n"u8.ToArray(), Token);
        child.StandardInput.Dispose();

        Assert.Equal("apple\nfig\npear\n", await ReadAllAsync(child.StandardOutput!));
    }

    [LinuxFact]
    public async Task Without_standard_input_the_child_reads_dev_null_and_no_descriptor_is_made_for_it()
    {
        using var child = SpawnedProcess.Start(new SpawnOptions { FileName = "/bin/sh", Arguments = ["-c", "readlink /proc/self/fd/0; cat; echo done"], NoStandardInput = true });

        Assert.Null(child.StandardInput);
        Assert.Equal("/dev/null\ndone\n", await ReadAllAsync(child.StandardOutput!));
        Assert.Equal(0, (await child.WaitForExitAsync(Token)).ExitCode);
    }

    [LinuxFact]
    public async Task An_exit_code_is_reported()
    {
        using var child = Sh("exit 7");

        var exit = await child.WaitForExitAsync(Token);

        Assert.Equal(new ChildExit(7, null, false), exit);
    }

    [LinuxFact]
    public async Task Death_by_a_signal_is_reported_apart_from_an_exit_code()
    {
        using var child = Sh("kill -TERM $$");

        var exit = await child.WaitForExitAsync(Token);

        Assert.Null(exit.ExitCode);
        Assert.Equal(15, exit.Signal);
    }

    [LinuxFact]
    public async Task Killing_the_tree_ends_the_background_grandchild_too()
    {
        using var child = Sh("sleep 300 & echo $!; sleep 300");
        using var reader = new StreamReader(child.StandardOutput!);
        int grandchild = int.Parse((await reader.ReadLineAsync(Token))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(IsAlive(grandchild));
        Assert.Equal(child.Pid, ProcessGroupOf(grandchild));

        var exit = await child.KillTreeAsync(TimeSpan.FromSeconds(1), Token);

        Assert.Equal(15, exit.Signal);
        // The kernel delivers the grandchild's signal asynchronously, and its reaper is whatever init this machine
        // has, so wait for it to be gone or a zombie (dead, just not yet reaped) rather than expect it at once.
        while (IsAlive(grandchild))
        {
            await Task.Delay(10, Token);
        }
    }

    [LinuxFact]
    public async Task A_child_that_ignores_sigterm_is_killed_after_the_grace()
    {
        // Ignored dispositions survive exec, so sleep inherits the shell's ignored SIGTERM.
        using var child = Sh("trap '' TERM; echo ready; exec sleep 300");
        using var reader = new StreamReader(child.StandardOutput!);
        Assert.Equal("ready", await reader.ReadLineAsync(Token));

        var exit = await child.KillTreeAsync(TimeSpan.FromMilliseconds(200), Token);

        Assert.Equal(9, exit.Signal);
    }

    [LinuxFact]
    public async Task A_pty_child_is_interactive()
    {
        using var child = Pty("cat");

        await child.Terminal!.WriteAsync("ping\n"u8.ToArray(), Token);

        // The terminal echoes the line, then cat writes it back.
        Assert.Equal("ping\r\nping\r\n", await ReadAtLeastAsync(child.Terminal, "ping\r\nping\r\n".Length));
    }

    [LinuxFact]
    public async Task Ctrl_c_on_the_pty_interrupts_the_child_as_its_controlling_terminal()
    {
        // Only a controlling terminal turns ^C into SIGINT for its foreground process group.
        using var child = Pty("cat");

        await child.Terminal!.WriteAsync("\x03"u8.ToArray(), Token);

        Assert.Equal(2, (await child.WaitForExitAsync(Token)).Signal);
    }

    [LinuxFact]
    public async Task A_pty_child_has_a_terminal_as_stdin_and_stdout()
    {
        using var child = Pty("sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo interactive");

        string screen = await ReadAllAsync(child.Terminal!);

        Assert.Matches(@"^/dev/pts/\d+\r\n", screen);
        Assert.EndsWith("interactive\r\n", screen, StringComparison.Ordinal);
        Assert.Equal(0, (await child.WaitForExitAsync(Token)).ExitCode);
    }

    [LinuxFact]
    public async Task A_pty_child_sees_the_window_size_that_was_set()
    {
        using var child = SpawnedProcess.Start(new SpawnOptions
        {
            FileName = "stty",
            Arguments = ["size"],
            Mode = SpawnMode.Pty,
            WindowSize = new WindowSize(33, 101),
        });

        Assert.Equal("33 101\r\n", await ReadAllAsync(child.Terminal!));
    }

    [LinuxFact]
    public async Task A_pty_can_be_resized_while_the_child_runs()
    {
        using var child = Pty("cat");

        child.Resize(new WindowSize(50, 132));

        Assert.Equal(new WindowSize(50, 132), child.GetWindowSize());
        await child.KillTreeAsync(TimeSpan.FromSeconds(1), Token);
    }

    [LinuxFact]
    public async Task A_pty_child_leads_its_own_session()
    {
        // Field 6 of /proc/<pid>/stat is the session id; cat runs until killed, so it can be read.
        using var child = Pty("cat");

        Assert.Equal(child.Pid, int.Parse(StatFields(child.Pid)![3], System.Globalization.CultureInfo.InvariantCulture));
        await child.KillTreeAsync(TimeSpan.FromSeconds(1), Token);
    }

    [LinuxFact]
    public void A_missing_program_is_a_clear_error()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SpawnedProcess.Start(new SpawnOptions { FileName = "sockit-no-such-program" }));

        Assert.Equal("sockit-no-such-program", e.FileName);
        Assert.Throws<FileNotFoundException>(() => SpawnedProcess.Start(new SpawnOptions { FileName = "/nonexistent/sockit" }));
    }

    [LinuxFact]
    public void A_missing_working_directory_is_not_mistaken_for_a_missing_program()
    {
        Assert.Throws<DirectoryNotFoundException>(() => SpawnedProcess.Start(new SpawnOptions { FileName = "true", WorkingDirectory = "/nonexistent/sockit" }));
    }

    [LinuxFact]
    public void A_nul_in_an_argument_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SpawnedProcess.Start(new SpawnOptions { FileName = "echo", Arguments = ["a\0b"] }));
    }

    [LinuxFact]
    public async Task The_working_directory_and_environment_are_the_ones_given()
    {
        using var child = SpawnedProcess.Start(new SpawnOptions
        {
            FileName = "sh",
            Arguments = ["-c", "pwd; echo \"$SOCKIT_TEST\"; echo \"${HOME-unset}\""],
            WorkingDirectory = "/",
            Environment = new Dictionary<string, string> { ["SOCKIT_TEST"] = "a b" },
        });

        Assert.Equal("/\na b\nunset\n", await ReadAllAsync(child.StandardOutput!));
    }

    [LinuxFact]
    public async Task The_child_ignores_no_signal_the_runtime_ignores()
    {
        // .NET ignores SIGPIPE, and ignored signals survive exec; a child must die of a broken pipe as usual.
        using var child = SpawnedProcess.Start(new SpawnOptions { FileName = "grep", Arguments = ["SigIgn", "/proc/self/status"] });

        string line = await ReadAllAsync(child.StandardOutput!);
        ulong ignored = ulong.Parse(line["SigIgn:\t".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

        // Bit n-1 is signal n. glibc's posix_spawn sets its own reserved signals 32 and 33 to SIG_IGN in the child
        // (sigfillset leaves them out and sigaddset refuses them); any other ignored signal is ours to fix.
        const ulong GlibcReserved = (1UL << 31) | (1UL << 32);
        Assert.Equal(0UL, ignored & ~GlibcReserved);
    }

    private static SpawnedProcess Sh(string script) =>
        SpawnedProcess.Start(new SpawnOptions { FileName = "sh", Arguments = ["-c", script] });

    private static SpawnedProcess Pty(string program, params string[] arguments) =>
        SpawnedProcess.Start(new SpawnOptions { FileName = program, Arguments = arguments, Mode = SpawnMode.Pty });

    private async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(Token);
    }

    private async Task<string> ReadAtLeastAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, Token);
        return Encoding.UTF8.GetString(buffer);
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name, or null when the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static bool IsAlive(int pid) => StatFields(pid) is { } fields && fields[0] != "Z";

    private static int ProcessGroupOf(int pid) =>
        int.Parse(StatFields(pid)![2], System.Globalization.CultureInfo.InvariantCulture);
}
