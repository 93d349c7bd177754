using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sockit.LoadTest.Children;

/// <summary>
/// A private OpenSSH server for the exec comparison: <c>sshd -D</c> on a free loopback port with its own config,
/// a throwaway host key and one authorized key for the current user, all in a temporary folder that is deleted at
/// the end. The system's ssh configuration and keys are neither read nor changed. Like the other children it runs
/// under a shell that kills it when the tool's end of its standard input closes.
/// </summary>
internal sealed class PrivateSshd : IDisposable
{
    private static readonly string[] SshdPaths = ["/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd"];

    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _log;
    private Process? _master;

    private PrivateSshd(Process process, DirectoryInfo folder, int port, StringBuilder log)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _log = log;
    }

    public int Port { get; }

    /// <summary>The user's <c>~/.bashrc</c> that the server's sessions see as empty, or <see langword="null"/> when they read it as it is.</summary>
    public string? HiddenBashrc { get; private init; }

    private string UserKey => Path.Combine(_folder.FullName, "user_key");

    private string ControlPath => Path.Combine(_folder.FullName, "mux");

    /// <summary>Why the ssh comparison cannot run here, or <see langword="null"/> when it can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (FindSshd() is null)
        {
            return "no sshd (Debian: apt-get install openssh-server)";
        }

        return FindOnPath("ssh") is null || FindOnPath("ssh-keygen") is null ? "no ssh or ssh-keygen (Debian: apt-get install openssh-client)" : null;
    }

    /// <summary>Makes the keys and config and starts sshd; returns once it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">It could not be started.</exception>
    public static async Task<PrivateSshd> StartAsync(CancellationToken cancellationToken)
    {
        var sshd = FindSshd() ?? throw new InvalidOperationException(Unavailable());
        var folder = Directory.CreateTempSubdirectory("sockit-bench-sshd-");
        try
        {
            string hostKey = Path.Combine(folder.FullName, "host_key");
            string userKey = Path.Combine(folder.FullName, "user_key");
            await KeygenAsync(hostKey, cancellationToken).ConfigureAwait(false);
            await KeygenAsync(userKey, cancellationToken).ConfigureAwait(false);
            string authorized = Path.Combine(folder.FullName, "authorized_keys");
            File.Copy(userKey + ".pub", authorized);

            // sshd refuses to start without its privilege separation folder, which the distribution's service
            // makes at boot; it is an empty runtime folder, not configuration.
            if (OperatingSystem.IsLinux() && !Directory.Exists("/run/sshd"))
            {
                Directory.CreateDirectory("/run/sshd", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                Progress("made /run/sshd (sshd's privilege separation folder)");
            }

            int port = FreePort();
            string config = Path.Combine(folder.FullName, "sshd_config");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {hostKey}
                AuthorizedKeysFile {authorized}
                PidFile {Path.Combine(folder.FullName, "sshd.pid")}
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                UseDNS no
                PrintMotd no
                PrintLastLog no
                MaxStartups 128
                MaxSessions 128
                LogLevel ERROR

                """), cancellationToken).ConfigureAwait(false);

            // bash reads ~/.bashrc for every command run over ssh (it sees SSH_CLIENT), so a heavy one (pyenv init:
            // 0.7 s on the machine this was written on) would be measured instead of ssh. As root, sshd runs in a mount
            // namespace of its own where that file is an empty one; nothing outside the namespace sees a change.
            string? hidden = BashrcToHide();
            string empty = Path.Combine(folder.FullName, "empty_bashrc");
            await File.WriteAllTextAsync(empty, "", cancellationToken).ConfigureAwait(false);

            // sshd needs its absolute path (it re-executes itself per connection).
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(hidden is null
                ? "\"$0\" -D -e -f \"$1\" & s=$!; cat > /dev/null; kill $s"
                : "unshare --mount --propagation private sh -c 'mount --bind \"$2\" \"$3\" && exec \"$0\" -D -e -f \"$1\"' \"$0\" \"$1\" \"$2\" \"$3\" & s=$!; "
                    + "cat > /dev/null; kill $s");
            start.ArgumentList.Add(sshd);
            start.ArgumentList.Add(config);
            start.ArgumentList.Add(empty);
            start.ArgumentList.Add(hidden ?? "");
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sshd");
            ChildRegistry.Add(process);
            var log = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (log)
                    {
                        log.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            var server = new PrivateSshd(process, folder, port, log) { HiddenBashrc = hidden };
            try
            {
                await server.WaitListeningAsync(cancellationToken).ConfigureAwait(false);
                await server.RunCheckAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>How to run <paramref name="command"/> over this server: a fresh connection, or a session on the master's.</summary>
    public ProcessStartInfo ClientStart(string command, bool multiplexed)
    {
        var start = new ProcessStartInfo("ssh") { UseShellExecute = false };
        foreach (var argument in ClientArguments(multiplexed))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-n");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add(command);
        return start;
    }

    /// <summary>The same as one shell command line, for shell redirections (<c>&gt; /dev/null</c>).</summary>
    public string ClientCommandLine(string command) =>
        "ssh " + string.Join(' ', ClientArguments(multiplexed: false).Select(Quote)) + " -n 127.0.0.1 " + Quote(command);

    /// <summary>Starts the control master that multiplexed clients use (<c>ssh -M -N</c>), once.</summary>
    public async Task StartMasterAsync(CancellationToken cancellationToken)
    {
        if (_master is not null)
        {
            return;
        }

        var start = new ProcessStartInfo("ssh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in ClientArguments(multiplexed: false))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "-M", "-N", "-o", $"ControlPath={ControlPath}", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }

        _master = Process.Start(start) ?? throw new InvalidOperationException("could not start the ssh master");
        ChildRegistry.Add(_master);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(ControlPath))
        {
            if (_master.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"the ssh master did not start: {await _master.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_master is not null)
        {
            ChildRegistry.Remove(_master);
            ChildRegistry.Kill(_master);
            _master.Dispose();
        }

        ChildRegistry.Remove(_process);
        ChildRegistry.Kill(_process);
        _process.Dispose();
        TryDelete(_folder);
    }

    private string[] ClientArguments(bool multiplexed)
    {
        string[] common =
        [
            "-F", "/dev/null", "-p", Port.ToString(CultureInfo.InvariantCulture), "-i", UserKey,
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        ];
        return multiplexed ? [.. common, "-o", $"ControlPath={ControlPath}"] : common;
    }

    private async Task WaitListeningAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sshd exited at once: {Log()}");
            }

            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"sshd did not listen on port {Port}: {ex.Message} {Log()}", ex);
            }
        }
    }

    /// <summary>One <c>ssh ... true</c> before any measuring, so a broken setup fails with its reason.</summary>
    private async Task RunCheckAsync(CancellationToken cancellationToken)
    {
        var start = ClientStart("true", multiplexed: false);
        start.RedirectStandardError = true;
        using var check = Process.Start(start) ?? throw new InvalidOperationException("could not start ssh");
        string errors = await check.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await check.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh to the private sshd failed ({check.ExitCode}): {errors.Trim()} {Log()}");
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString().Trim();
        }
    }

    private static async Task KeygenAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ssh-keygen") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "sockit-bench", "-f", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ssh-keygen");
        string errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed: {errors}");
        }
    }

    /// <summary>The current user's <c>~/.bashrc</c> when it exists and can be hidden (root, bash, <c>unshare</c>).</summary>
    private static string? BashrcToHide()
    {
        string bashrc = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".bashrc");
        return Environment.UserName == "root" && File.Exists(bashrc) && FindOnPath("unshare") is not null ? bashrc : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindSshd() => SshdPaths.FirstOrDefault(File.Exists);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void TryDelete(DirectoryInfo folder)
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A socket or key left behind in /tmp does no harm.
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[loadtest] ssh: {message}");
}
