using System.Diagnostics;
using System.Globalization;
using System.Net;
using Sockit.Client;
using Sockit.Client.Exec;
using Sockit.LoadTest.Children;
using Sockit.Protocol.Addressing;
using static Sockit.LoadTest.Client.SummaryLines;

namespace Sockit.LoadTest.Client;

/// <summary>
/// <c>--exec</c>: remote commands. Three parts, each against the real <c>sockit serve</c> (one process for the whole
/// run, anonymous <c>exec</c> allowed on loopback):
/// <list type="bullet">
/// <item><c>spawn</c>: <c>--clients</c> clients each running <c>true</c> one after another, commands per second and
/// latency, against Sockit's <c>exec</c>, Sockit's legacy listener, the tutorials' Python server and <c>ssh</c> to a
/// private sshd (fresh connections, and sessions on one master connection), rounds interleaved;</item>
/// <item><c>stream</c>: <c>head -c --stream-mib M /dev/zero</c> through <c>exec</c> to a client that discards it, with a
/// 4 MiB and the default output window, beside the same through a local pipe, through one loopback TCP hop (bench/tcp_hop.py
/// at both ends) and through ssh, with the server's RSS before, at its peak and after;</item>
/// <item><c>slow</c>: the same output read at <c>--slow-rate</c> bytes a second for <c>--slow-seconds</c>: the server's
/// RSS every second, and how far the command itself has got (its <c>wchar</c>), to show back-pressure reaching it.</item>
/// </list>
/// </summary>
internal static class ExecRun
{
    /// <summary>The spawn test's command: the cheapest there is, so the figures are the cost of running one.</summary>
    private const string SpawnCommand = "true";

    /// <summary>The large output window of the stream test.</summary>
    private const int LargeWindow = 4 * 1024 * 1024;

    public static readonly string[] AllParts = ["spawn", "stream", "slow"];

    public static readonly string[] AllTargets = ["sockit-exec", "sockit-legacy", "python-exec", "ssh", "ssh-mux", "spawn-only"];

    /// <summary>How often the stream test reads the server's RSS (its VmHWM gives the true peak where it can be reset).</summary>
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        // The benchmark's clients run anonymously: `exec` is opened to anonymous connections, which this server accepts
        // on 127.0.0.1 only. The limits are raised above the clients' count: a client's next command can arrive before
        // the server has released the slot of its last one (the slot is freed after the final reply is written).
        int limit = options.ExecLimit > 0 ? options.ExecLimit : Math.Max(64, options.Clients * 4);
        string[] arguments =
        [
            "--legacy-exec", "tcp://127.0.0.1:0",
            "--set", "Sockit:Auth:AnonymousOps:0=exec",
            "--set", string.Create(CultureInfo.InvariantCulture, $"Sockit:Exec:MaxRunningPerUser={limit}"),
            "--set", string.Create(CultureInfo.InvariantCulture, $"Sockit:Exec:MaxRunning={limit}"),
        ];
        LoadRun.Progress($"sockit-serve: starting (anonymous exec on loopback, Sockit:Exec:MaxRunning and MaxRunningPerUser {limit})");
        using var server = await SockitServeProcess.StartAsync(new Dictionary<string, string>(), cancellationToken, arguments).ConfigureAwait(false);
        Line($"# exec: sockit serve pid {server.ProcessId}, framed {server.Address}, legacy {server.Listeners["LegacyExec"]}; {Environment.ProcessorCount} cores");

        // ssh runs in the spawn test as the targets say, and in the stream test when "ssh" is one of them.
        bool sshWanted = options.ExecTargets.Contains("ssh-mux") && options.ExecParts.Contains("spawn")
            || options.ExecTargets.Contains("ssh") && (options.ExecParts.Contains("spawn") || options.ExecParts.Contains("stream"));
        string? sshMissing = sshWanted ? PrivateSshd.Unavailable() : "not asked for";
        PrivateSshd? sshd = null;
        if (sshMissing is null)
        {
            try
            {
                LoadRun.Progress("ssh: starting a private sshd");
                sshd = await PrivateSshd.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                sshMissing = ex.Message.ReplaceLineEndings(" ");
            }
        }

        if (sshd is not null)
        {
            string startup = sshd.HiddenBashrc is { } rc
                ? $"{rc} (bash reads it for every ssh command) is an empty file for its sessions (private mount namespace)"
                : "the user's shell start-up files are read as usual";
            Line($"# exec: ssh: private sshd on 127.0.0.1:{sshd.Port}; {startup}");
        }

        if (sshMissing is not null && sshMissing != "not asked for")
        {
            Line($"# exec: ssh skipped: {sshMissing}");
            LoadRun.Progress($"ssh skipped: {sshMissing}");
        }

        try
        {
            int failures = 0;
            if (options.ExecParts.Contains("spawn"))
            {
                failures += await SpawnAsync(server, sshd, options, cancellationToken).ConfigureAwait(false);
            }

            if (options.ExecParts.Contains("stream"))
            {
                await StreamAsync(server, sshd, options, cancellationToken).ConfigureAwait(false);
            }

            if (options.ExecParts.Contains("slow"))
            {
                await SlowAsync(server, options, cancellationToken).ConfigureAwait(false);
            }

            return failures > 0 ? 1 : 0;
        }
        finally
        {
            sshd?.Dispose();
        }
    }

    /// <summary>The spawn rate: every target once per round, in the same order, rounds repeated.</summary>
    private static async Task<int> SpawnAsync(SockitServeProcess server, PrivateSshd? sshd, LoadOptions options, CancellationToken cancellationToken)
    {
        ChildServer? python = null;
        try
        {
            var targets = new List<(string Name, Func<ICommandClient> Create, Func<TimeSpan>? ServerCpu, int? ServerPid)>();
            foreach (var name in options.ExecTargets)
            {
                switch (name)
                {
                    case "sockit-exec":
                        targets.Add((name, () => new SockitExecClient(server.Address, SpawnCommand), () => server.CpuTime, server.ProcessId));
                        break;
                    case "sockit-legacy":
                        var legacy = ParseEndpoint(server.Listeners["LegacyExec"]);
                        targets.Add((name, () => new TutorialCommandClient(legacy, SpawnCommand), () => server.CpuTime, server.ProcessId));
                        break;
                    case "python-exec":
                        LoadRun.Progress("python-exec: starting");
                        python = await ChildServer.StartAsync(TargetKind.PythonExec, options, cancellationToken).ConfigureAwait(false);
                        Line($"# exec: python-exec pid {python.ProcessId}, port {python.Port}");
                        var endpoint = new IPEndPoint(IPAddress.Loopback, python.Port);
                        var child = python;
                        targets.Add((name, () => new TutorialCommandClient(endpoint, SpawnCommand), () => child.CpuTime, child.ProcessId));
                        break;
                    case "spawn-only":
                        targets.Add((name, () => new LocalSpawnClient(SpawnCommand), null, null));
                        break;
                    case "ssh" or "ssh-mux" when sshd is null:
                        break;
                    case "ssh":
                        targets.Add((name, () => new SshCommandClient(sshd!, SpawnCommand, multiplexed: false), null, null));
                        break;
                    case "ssh-mux":
                        await sshd!.StartMasterAsync(cancellationToken).ConfigureAwait(false);
                        targets.Add((name, () => new SshCommandClient(sshd, SpawnCommand, multiplexed: true), null, null));
                        break;
                }
            }

            var rates = targets.ToDictionary(t => t.Name, _ => new List<double>());
            var p50 = targets.ToDictionary(t => t.Name, _ => new List<double>());
            var p99 = targets.ToDictionary(t => t.Name, _ => new List<double>());
            int failures = 0;
            for (int round = 0; round < options.Repeat; round++)
            {
                foreach (var (name, create, serverCpu, serverPid) in targets)
                {
                    var result = await MeasureSpawnAsync(name, create, serverCpu, serverPid, options, cancellationToken).ConfigureAwait(false);
                    failures += result.Errors > 0 ? 1 : 0;
                    rates[name].Add(result.CommandsPerSecond);
                    p50[name].Add(result.Latency.ValueAt(0.50) / 1000.0);
                    p99[name].Add(result.Latency.ValueAt(0.99) / 1000.0);
                    await Console.Out.WriteLineAsync(result.ToString()).ConfigureAwait(false);
                }
            }

            string Medians(Dictionary<string, List<double>> values, string format) =>
                string.Join(' ', values.Select(v => $"{v.Key}={Median(v.Value).ToString(format, CultureInfo.InvariantCulture)}"));

            Line($"summary exec_spawn_cps {Medians(rates, "0")}");
            Line($"summary exec_spawn_p50_us {Medians(p50, "0")}");
            Line($"summary exec_spawn_p99_us {Medians(p99, "0")}");
            foreach (var baseline in new[] { "python-exec", "ssh", "ssh-mux", "sockit-legacy", "spawn-only" })
            {
                if (rates.TryGetValue("sockit-exec", out var sockit) && rates.TryGetValue(baseline, out var other))
                {
                    Line($"summary exec_spawn_ratio sockit-exec/{baseline}={Median(sockit) / Median(other):0.00}");
                }
            }

            return failures;
        }
        finally
        {
            python?.Dispose();
        }
    }

    private static async Task<SpawnResult> MeasureSpawnAsync(
        string name, Func<ICommandClient> create, Func<TimeSpan>? serverCpu, int? serverPid, LoadOptions options, CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, options.Clients).Select(_ => create()).ToArray();
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(60));
                await Task.WhenAll(clients.Select(c => c.ConnectAsync(connectTimeout.Token))).ConfigureAwait(false);
            }

            LoadRun.Progress($"{name}: {clients.Length} clients running '{SpawnCommand}', warming up {options.Warmup.TotalSeconds:0.#} s");
            var control = new RunControl();
            var workers = clients.Select(c => new SpawnWorker(c, control)).ToArray();
            var running = workers.Select(w => Task.Run(() => w.RunAsync(cancellationToken), CancellationToken.None)).ToArray();
            var all = Task.WhenAll(running);

            await Task.WhenAny(all, Task.Delay(options.Warmup, cancellationToken)).ConfigureAwait(false);
            using var self = Process.GetCurrentProcess();
            var clientCpu = self.TotalProcessorTime;
            var serverCpuBefore = serverCpu?.Invoke();
            var machine = ProcStatus.ReadMachineTicks();
            var clock = Stopwatch.StartNew();
            control.StartMeasuring();
            await Task.WhenAny(all, Task.Delay(options.Duration, cancellationToken)).ConfigureAwait(false);
            control.Stop();
            var elapsed = clock.Elapsed;
            double machineCores = ProcStatus.BusyCores(machine, ProcStatus.ReadMachineTicks());
            self.Refresh();
            double clientCores = (self.TotalProcessorTime - clientCpu).TotalSeconds / elapsed.TotalSeconds;
            double? serverCores = serverCpu is null ? null : (serverCpu() - serverCpuBefore!.Value).TotalSeconds / elapsed.TotalSeconds;
            long? serverThreads = serverPid is { } pid ? ProcStatus.ReadThreads(pid) : null;

            await Task.WhenAny(all, Task.Delay(LoadRun.DrainGrace, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var latency = new LatencyHistogram();
            long completed = 0;
            int errors = 0;
            foreach (var worker in workers)
            {
                latency.Add(worker.Histogram);
                completed += worker.Completed;
                if (worker.Error is { } error)
                {
                    if (errors++ == 0)
                    {
                        LoadRun.Progress($"{name}: a client failed: {error.GetBaseException().Message}");
                    }
                }
            }

            errors += running.Count(t => !t.IsCompleted);
            return new SpawnResult(name, options.Clients, elapsed, completed, latency, serverCores, clientCores, machineCores, errors) { ServerThreads = serverThreads };
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The stream: per round, Sockit's exec with the large and the default window, a local pipe, one loopback TCP hop, and
    /// ssh when there is one; the order turns round every other round so drift on the machine falls on all of them.
    /// </summary>
    private static async Task StreamAsync(SockitServeProcess server, PrivateSshd? sshd, LoadOptions options, CancellationToken cancellationToken)
    {
        long bytes = (long)options.StreamMib * 1024 * 1024;
        string command = string.Create(CultureInfo.InvariantCulture, $"head -c {options.StreamMib}M /dev/zero");
        var variants = new List<(string Name, Func<Task<StreamFigures>> Run)>
        {
            ($"sockit-exec window={LargeWindow}", () => StreamExecAsync(server, command, bytes, LargeWindow, cancellationToken)),
            ($"sockit-exec window={SockitExecOptions.Default.OutputWindow}", () => StreamExecAsync(server, command, bytes, SockitExecOptions.Default.OutputWindow, cancellationToken)),
            ("pipe", () => StreamShellAsync("pipe", $"{command} | cat > /dev/null", bytes, cancellationToken)),
            ("tcp", () => StreamTcpAsync(options.Python, command, bytes, cancellationToken)),
        };

        if (sshd is not null && options.ExecTargets.Contains("ssh"))
        {
            variants.Add(("ssh", () => StreamShellAsync("ssh", $"{sshd.ClientCommandLine(command)} > /dev/null", bytes, cancellationToken)));
        }

        // One unmeasured run first: the server's JIT and the client's.
        LoadRun.Progress($"stream: warming up with one '{command}' through exec");
        _ = await StreamExecAsync(server, command, bytes, LargeWindow, cancellationToken).ConfigureAwait(false);

        var rates = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var growth = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (int round = 0; round < options.Repeat; round++)
        {
            var order = round % 2 == 0 ? variants : Enumerable.Reverse(variants).ToList();
            foreach (var (name, run) in order)
            {
                LoadRun.Progress($"stream: {name}");
                var figures = await run().ConfigureAwait(false);
                rates[name].Add(figures.GigabytesPerSecond);
                if (figures.GrowthBytes is long grown)
                {
                    growth[name].Add(grown);
                }

                await Console.Out.WriteLineAsync(figures.ToString()).ConfigureAwait(false);
            }
        }

        foreach (var (name, values) in rates)
        {
            string mib = growth[name].Count > 0 ? $" server_rss_growth_mib={Median(growth[name]) / (1 << 20):0.0}" : "";
            Line($"summary exec_stream {name.Replace(" window=", "@", StringComparison.Ordinal)} gb_per_s={Median(values):0.00}{mib}");
        }

        double pipe = Median(rates["pipe"]);
        double tcp = Median(rates["tcp"]);
        foreach (var name in rates.Keys.Where(n => n.StartsWith("sockit-exec", StringComparison.Ordinal)))
        {
            string label = name.Replace(" window=", "@", StringComparison.Ordinal);
            double rate = Median(rates[name]);
            Line($"summary exec_stream_ratio {label}/pipe={rate / pipe:0.00} {label}/tcp={rate / tcp:0.00}");
        }
    }

    private static async Task<StreamFigures> StreamExecAsync(SockitServeProcess server, string command, long bytes, int window, CancellationToken cancellationToken)
    {
        var client = await SockitClient.ConnectAsync(server.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            bool peakReset = ProcStatus.ResetPeak(server.ProcessId);
            long before = ProcStatus.ReadRssBytes(server.ProcessId);
            long peak = before;
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = SampleAsync(SampleEvery, () => peak = Math.Max(peak, ProcStatus.ReadRssBytes(server.ProcessId)), sampling.Token);

            using var self = Process.GetCurrentProcess();
            var clientCpu = self.TotalProcessorTime;
            var serverCpu = server.CpuTime;
            var commandCpu = ProcStatus.ReadChildrenCpu(server.ProcessId);
            var machine = ProcStatus.ReadMachineTicks();
            var clock = Stopwatch.StartNew();
            long received = 0;
            long parts = 0;
            ExecResult result;
            var execution = await client.ExecAsync(command, new SockitExecOptions { OutputWindow = window }, cancellationToken).ConfigureAwait(false);
            await using (execution.ConfigureAwait(false))
            {
                await foreach (var chunk in execution.ReadOutputAsync(cancellationToken).ConfigureAwait(false))
                {
                    received += chunk.Data.Length;
                    parts++;
                }

                result = await execution.GetResultAsync().ConfigureAwait(false);
            }

            var elapsed = clock.Elapsed;
            double machineCores = ProcStatus.BusyCores(machine, ProcStatus.ReadMachineTicks());
            double serverCores = (server.CpuTime - serverCpu).TotalSeconds / elapsed.TotalSeconds;
            self.Refresh();
            double clientCores = (self.TotalProcessorTime - clientCpu).TotalSeconds / elapsed.TotalSeconds;

            // The command has been reaped once its result came (the server waits for it before replying).
            double commandSeconds = (ProcStatus.ReadChildrenCpu(server.ProcessId) - commandCpu).TotalSeconds;
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            long hwm = peakReset ? ProcStatus.ReadPeakRssBytes(server.ProcessId) : -1;
            long after = ProcStatus.ReadRssBytes(server.ProcessId);
            if (received != bytes || result.StdoutBytes != bytes || result.ExitCode != 0)
            {
                throw new InvalidDataException($"'{command}' through exec: {received} bytes received, {result.StdoutBytes} sent, status {result.ShellStatus}; {bytes} expected");
            }

            return new StreamFigures("sockit-exec", window, bytes, elapsed, before, Math.Max(peak, hwm), hwm, after, serverCores, clientCores, machineCores)
            {
                Parts = parts,
                CpuSeconds = ((serverCores + clientCores) * elapsed.TotalSeconds) + commandSeconds,
                CommandCpuSeconds = commandSeconds,
            };
        }
    }

    /// <summary>The command's bytes across one loopback TCP connection (<c>tcp_hop.py</c>, 128 KiB per call at both ends).</summary>
    private static async Task<StreamFigures> StreamTcpAsync(string python, string command, long bytes, CancellationToken cancellationToken)
    {
        using var sink = await TcpHopSink.StartAsync(python, cancellationToken).ConfigureAwait(false);
        string send = string.Create(CultureInfo.InvariantCulture, $"{command} | {python} {TcpHopSink.Script} send {sink.Port}");
        var figures = await StreamShellAsync("tcp", send, bytes, cancellationToken).ConfigureAwait(false);
        await sink.WaitAsync(cancellationToken).ConfigureAwait(false);
        return figures;
    }

    /// <summary>A shell command line that moves the same bytes, timed from its start to its exit.</summary>
    private static async Task<StreamFigures> StreamShellAsync(string name, string commandLine, long bytes, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        var machine = ProcStatus.ReadMachineTicks();
        var childrenCpu = ProcStatus.ReadChildrenCpu(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        string errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        double machineCores = ProcStatus.BusyCores(machine, ProcStatus.ReadMachineTicks());
        if (process.ExitCode != 0)
        {
            throw new InvalidDataException($"{commandLine}: exit {process.ExitCode}: {errors.Trim()}");
        }

        // The shell and its pipeline, reaped by this process: all the CPU a local pipe costs. For ssh only the client's
        // side (the server's processes are sshd's children).
        double cpu = (ProcStatus.ReadChildrenCpu(Environment.ProcessId) - childrenCpu).TotalSeconds;
        return new StreamFigures(name, null, bytes, elapsed, null, null, null, null, null, null, machineCores) { CpuSeconds = name == "pipe" ? cpu : null };
    }

    /// <summary>
    /// A client reading at <c>--slow-rate</c> bytes a second: enough output for <c>--slow-seconds</c> at that rate. Every
    /// second: how much the client has read, how much the command has written, and the server's RSS.
    /// </summary>
    private static async Task SlowAsync(SockitServeProcess server, LoadOptions options, CancellationToken cancellationToken)
    {
        double rate = options.SlowRate;
        long total = (long)(rate * options.SlowSeconds);
        string command = string.Create(CultureInfo.InvariantCulture, $"head -c {total} /dev/zero");
        int window = SockitExecOptions.Default.OutputWindow;
        LoadRun.Progress($"slow: '{command}' read at {rate / 1e6:0.##} MB/s, about {options.SlowSeconds} s");

        // The server's stream path is compiled and tiered up before the memory is watched.
        _ = await StreamExecAsync(server, "head -c 256M /dev/zero", 256L << 20, window, cancellationToken).ConfigureAwait(false);
        var client = await SockitClient.ConnectAsync(server.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            long before = ProcStatus.ReadRssBytes(server.ProcessId);
            ProcStatus.ResetPeak(server.ProcessId);
            long read = 0;
            var clock = Stopwatch.StartNew();
            var samples = new List<(double Seconds, long Read, long Written, long Rss)>();
            string? processes = null;
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = SampleAsync(TimeSpan.FromSeconds(1), () =>
            {
                long written = ProcStatus.ReadDescendantsWrittenBytes(server.ProcessId);
                long rss = ProcStatus.ReadRssBytes(server.ProcessId);
                var sample = (clock.Elapsed.TotalSeconds, Interlocked.Read(ref read), written, rss);
                samples.Add(sample);
                // Once the command has exited none of its processes is left to read (written 0).
                string ahead = written > 0 ? (written - sample.Item2).ToString(CultureInfo.InvariantCulture) : "na";
                Line($"exec-slow-sample t_s={sample.Item1:0.0} read_bytes={sample.Item2} command_written_bytes={written} ahead_bytes={ahead} server_rss_kib={rss / 1024}");
                if (processes is null && sample.Item1 >= options.SlowSeconds / 2.0)
                {
                    processes = string.Join("; ", ProcStatus.DescribeDescendants(server.ProcessId).Select(p => $"{p.Pid} {p.Name} state {p.State} in {p.WaitChannel}"));
                }
            }, sampling.Token);

            ExecResult result;
            var execution = await client.ExecAsync(command, new SockitExecOptions { OutputWindow = window }, cancellationToken).ConfigureAwait(false);
            await using (execution.ConfigureAwait(false))
            {
                await foreach (var chunk in execution.ReadOutputAsync(cancellationToken).ConfigureAwait(false))
                {
                    long now = Interlocked.Add(ref read, chunk.Data.Length);
                    var due = TimeSpan.FromSeconds(now / rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                    }
                }

                result = await execution.GetResultAsync().ConfigureAwait(false);
            }

            var elapsed = clock.Elapsed;
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            long hwm = ProcStatus.ReadPeakRssBytes(server.ProcessId);
            Line($"# exec-slow: the command's processes half-way: {processes ?? "(not sampled)"}");

            // From the second sample on: the first second includes the command's start and the window filling.
            var steady = samples.Skip(1).ToList();
            long rssMin = steady.Count > 0 ? steady.Min(s => s.Rss) : -1;
            long rssMax = steady.Count > 0 ? steady.Max(s => s.Rss) : -1;
            // A sample after the command has exited finds none of its processes (and nothing written).
            var running = samples.Where(s => s.Written > 0).ToList();
            long aheadMax = running.Count > 0 ? running.Max(s => s.Written - s.Read) : -1;
            Line($"target=sockit-exec mode=exec-slow window={window} rate_bytes_per_s={rate:0} read_bytes={read} stdout_bytes={result.StdoutBytes} elapsed_s={elapsed.TotalSeconds:0.0} command_duration_s={result.Duration.TotalSeconds:0.0} ahead_max_kib={aheadMax / 1024} server_rss_before_kib={before / 1024} server_rss_min_kib={rssMin / 1024} server_rss_max_kib={rssMax / 1024} server_hwm_kib={hwm / 1024} server_rss_spread_kib={(rssMax - rssMin) / 1024} samples={samples.Count}");
            Line($"summary exec_slow rate_mb_per_s={rate / 1e6:0.00} elapsed_s={elapsed.TotalSeconds:0.0} command_duration_s={result.Duration.TotalSeconds:0.0} server_rss_spread_mib={(rssMax - rssMin) / 1048576.0:0.0} server_rss_growth_mib={(hwm - before) / 1048576.0:0.0} ahead_max_mib={aheadMax / 1048576.0:0.0}");
        }
    }

    private static async Task SampleAsync(TimeSpan every, Action sample, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the measurement.
        }
    }

    private static IPEndPoint ParseEndpoint(string address)
    {
        var parsed = SockitAddress.Parse(address);
        return new IPEndPoint(IPAddress.Parse(parsed.Host), parsed.Port);
    }

    /// <summary>One client of the spawn test: its own latencies, counted only in the measured window.</summary>
    private sealed class SpawnWorker(ICommandClient client, RunControl control)
    {
        public LatencyHistogram Histogram { get; } = new();

        public long Completed { get; private set; }

        public Exception? Error { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!control.IsStopping)
                {
                    long started = Stopwatch.GetTimestamp();
                    await client.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                    if (control.IsMeasuring)
                    {
                        Histogram.Record((long)Stopwatch.GetElapsedTime(started).TotalNanoseconds);
                        Completed++;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Error = ex;
            }
        }
    }

    /// <summary>One spawn-rate measurement; <see cref="ToString"/> is its result line.</summary>
    private sealed record SpawnResult(
        string Target, int Clients, TimeSpan Elapsed, long Commands, LatencyHistogram Latency, double? ServerCpu, double ClientCpu, double MachineCpu, int Errors)
    {
        public double CommandsPerSecond => Commands / Elapsed.TotalSeconds;

        /// <summary>The server process's threads at the end of the window (a thread pool that grew shows here).</summary>
        public long? ServerThreads { get; init; }

        public override string ToString()
        {
            static string Micros(long nanoseconds) => (nanoseconds / 1000.0).ToString("0", CultureInfo.InvariantCulture);

            return string.Create(
                CultureInfo.InvariantCulture,
                $"target={Target} mode=exec-spawn clients={Clients} command={SpawnCommand} duration_s={Elapsed.TotalSeconds:0.00} commands={Commands} " +
                $"cps={CommandsPerSecond:0.0} p50_us={Micros(Latency.ValueAt(0.50))} p90_us={Micros(Latency.ValueAt(0.90))} " +
                $"p99_us={Micros(Latency.ValueAt(0.99))} max_us={Micros(Latency.Max)} " +
                $"server_cpu={(ServerCpu is { } cpu ? cpu.ToString("0.00", CultureInfo.InvariantCulture) : "na")} client_cpu={ClientCpu:0.00} " +
                $"machine_cpu={MachineCpu:0.00} server_threads={(ServerThreads is { } t ? t.ToString(CultureInfo.InvariantCulture) : "na")} errors={Errors}");
        }
    }

    /// <summary>One stream measurement; the memory fields are the server's, for exec only.</summary>
    private sealed record StreamFigures(
        string Target, int? Window, long Bytes, TimeSpan Elapsed, long? RssBefore, long? RssPeak, long? Hwm, long? RssAfter,
        double? ServerCpu, double? ClientCpu, double MachineCpu)
    {
        public double GigabytesPerSecond => Bytes / 1e9 / Elapsed.TotalSeconds;

        public long? GrowthBytes => RssPeak - RssBefore;

        /// <summary>How many output parts the bytes came in (exec only).</summary>
        public long? Parts { get; init; }

        /// <summary>
        /// All the CPU the transfer took, in seconds: for exec the server's, the client's and the command's; for the pipe
        /// the shell's, head's and cat's. On a saturated machine throughput follows its inverse.
        /// </summary>
        public double? CpuSeconds { get; init; }

        /// <summary>The command's own CPU (exec only: <c>sh</c> and <c>head</c>, as the server reaped them).</summary>
        public double? CommandCpuSeconds { get; init; }

        public override string ToString()
        {
            static string Kib(long? bytes) => bytes is { } b ? (b / 1024).ToString(CultureInfo.InvariantCulture) : "na";
            static string Cores(double? cores) => cores is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "na";

            return string.Create(
                CultureInfo.InvariantCulture,
                $"target={Target} mode=exec-stream window={(Window is { } w ? w.ToString(CultureInfo.InvariantCulture) : "na")} bytes={Bytes} " +
                $"seconds={Elapsed.TotalSeconds:0.000} gb_per_s={GigabytesPerSecond:0.000} mib_per_s={Bytes / 1048576.0 / Elapsed.TotalSeconds:0} " +
                $"server_rss_before_kib={Kib(RssBefore)} server_rss_peak_kib={Kib(RssPeak)} server_hwm_kib={Kib(Hwm)} server_rss_after_kib={Kib(RssAfter)} " +
                $"server_rss_growth_kib={Kib(GrowthBytes)} server_cpu={Cores(ServerCpu)} client_cpu={Cores(ClientCpu)} machine_cpu={MachineCpu:0.00} " +
                $"parts={(Parts is { } n ? n.ToString(CultureInfo.InvariantCulture) : "na")} " +
                $"avg_part_bytes={(Parts is { } p && p > 0 ? (Bytes / p).ToString(CultureInfo.InvariantCulture) : "na")} " +
                $"cpu_s_per_gib={(CpuSeconds is { } c ? (c / (Bytes / 1073741824.0)).ToString("0.00", CultureInfo.InvariantCulture) : "na")} " +
                $"command_cpu_s={(CommandCpuSeconds is { } k ? k.ToString("0.00", CultureInfo.InvariantCulture) : "na")}");
        }
    }
}
