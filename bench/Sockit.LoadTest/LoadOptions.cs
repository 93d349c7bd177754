using System.Globalization;

namespace Sockit.LoadTest;

/// <summary>The command line. Plain parsing: the flags are few and the hot path must not carry a framework.</summary>
public sealed record LoadOptions
{
    public const string Usage = """
        Sockit.LoadTest: framed echo round trips over loopback, one result line per run on standard output.

          --target T[,T...]   sockit | raw | python | HOST:PORT (loopback only); several run one after another
          --connections N     connections, each with its own request loop (default 64)
          --size BYTES        echo body size (default 64)
          --pipeline K        requests in flight per connection (default 1)
          --duration SECONDS  measured time per run (default 10)
          --warmup SECONDS    unmeasured time before it (default 2)
          --repeat R          run the whole target list R times, interleaved (default 1)
          --idle N            instead of load: hold N idle connections and report server memory per connection
          --python PATH       interpreter for the python target (default python3)
          --tls-compare       instead: the client library's framed echo (--connections, --size) and a stream of
                              --stream-mib MiB in 1 MiB echoes, over plain TCP and TLS to one server, interleaved
          --stream-mib N      MiB streamed per --tls-compare run or --mixed window (default 1024)
          --burst             instead: the real `sockit serve` under a burst of upper-cased --size echoes from
                              --connections connections for --duration, then its RSS while idle, once per GC and
                              idle-trim setting
          --mixed             instead: the real `sockit serve` with --connections minus one connections of framed echo
                              (--size, --pipeline) measured alone and while one more connection streams 1 MiB echoes;
                              that window ends when the stream has moved --stream-mib MiB each way or at --duration,
                              whichever comes first. --warmup runs both kinds of traffic once, unmeasured
          --exec              instead: remote commands against the real `sockit serve` (anonymous exec, loopback only):
                              spawn   --clients clients running `true` one after another for --duration (after
                                      --warmup), commands/s and latency, for each of --exec-targets
                              stream  `head -c --stream-mib M /dev/zero` through exec to a discarding client (4 MiB
                                      and default output window), beside a local pipe and ssh; server RSS
                              slow    the same read at --slow-rate bytes/s for --slow-seconds: server RSS and the
                                      command's own progress every second
          --exec-parts P[,P]  which of spawn, stream, slow (default all)
          --exec-targets T[,T] spawn-rate targets: sockit-exec, sockit-legacy, python-exec, ssh, ssh-mux, spawn-only
                              (default all; the ssh ones run a private sshd when openssh-server is installed, else are
                              skipped; spawn-only is the ceiling: the tool spawns and reaps the command itself);
                              the stream test runs exec and the pipe, and ssh when it is one of them
          --clients N         concurrent clients of the spawn test (default 8)
          --exec-limit N      the server's Sockit:Exec:MaxRunning and MaxRunningPerUser (default max(64, 4 × clients);
                              the clients all count as one user, anonymous on 127.0.0.1)
          --slow-rate B       bytes per second the slow reader takes (default 1000000)
          --slow-seconds S    how long the slow reader reads (default 20)
          --files-slow        instead: download --remote-path from the running `sockit serve` at --address (logged in
                              with --key-file) at --slow-rate bytes/s for --slow-seconds, sampling the RSS of
                              --server-pid every second; one result line (bench/run-bench.sh's FILES part runs it)
          --sshd              instead: start the exec comparison's private sshd and print `port=N key=FILE` for scp,
                              until standard input closes

        Internal (the tool starts these itself): --serve-sockit, --serve-sockit-tls, --serve-raw.
        """;

    public IReadOnlyList<Target> Targets { get; init; } = [Target.Parse("sockit")];

    public int Connections { get; init; } = 64;

    public int Size { get; init; } = 64;

    public int Pipeline { get; init; } = 1;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Repeat { get; init; } = 1;

    public int Idle { get; init; }

    public string Python { get; init; } = "python3";

    public bool ServeSockit { get; init; }

    public bool ServeSockitTls { get; init; }

    public bool TlsCompare { get; init; }

    public int StreamMib { get; init; } = 1024;

    public bool ServeRaw { get; init; }

    public bool Burst { get; init; }

    public bool Mixed { get; init; }

    public bool Exec { get; init; }

    public IReadOnlyList<string> ExecParts { get; init; } = Client.ExecRun.AllParts;

    public IReadOnlyList<string> ExecTargets { get; init; } = Client.ExecRun.AllTargets;

    public int Clients { get; init; } = 8;

    public int ExecLimit { get; init; }

    public double SlowRate { get; init; } = 1_000_000;

    public int SlowSeconds { get; init; } = 20;

    /// <summary>Read a download from a running <c>sockit serve</c> slowly (<see cref="Client.FilesSlowRun"/>).</summary>
    public bool FilesSlow { get; init; }

    /// <summary>The server's framed address, for <see cref="FilesSlow"/>.</summary>
    public string Address { get; init; } = "";

    /// <summary>The remote file <see cref="FilesSlow"/> downloads.</summary>
    public string RemotePath { get; init; } = "";

    /// <summary>The server's process, whose RSS <see cref="FilesSlow"/> samples.</summary>
    public int ServerPid { get; init; }

    /// <summary>The key file <see cref="FilesSlow"/> logs in with (the server's local key).</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>Start the private sshd of the exec comparison and print how to reach it, until standard input closes.</summary>
    public bool Sshd { get; init; }

    public bool Help { get; init; }

    /// <exception cref="ArgumentException">An unknown flag, a missing value or a value out of range.</exception>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            options = flag switch
            {
                "--target" => options with { Targets = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Target.Parse)] },
                "--connections" => options with { Connections = Int(flag, Value(), 1, 20_000) },
                "--size" => options with { Size = Int(flag, Value(), 0, 1024 * 1024) },
                "--pipeline" => options with { Pipeline = Int(flag, Value(), 1, 10_000) },
                "--duration" => options with { Duration = Seconds(flag, Value(), 0.1, 3600) },
                "--warmup" => options with { Warmup = Seconds(flag, Value(), 0, 600) },
                "--repeat" => options with { Repeat = Int(flag, Value(), 1, 100) },
                "--idle" => options with { Idle = Int(flag, Value(), 1, 50_000) },
                "--python" => options with { Python = Value() },
                "--serve-sockit" => options with { ServeSockit = true },
                "--serve-sockit-tls" => options with { ServeSockitTls = true },
                "--tls-compare" => options with { TlsCompare = true },
                "--stream-mib" => options with { StreamMib = Int(flag, Value(), 1, 64 * 1024) },
                "--serve-raw" => options with { ServeRaw = true },
                "--burst" => options with { Burst = true },
                "--mixed" => options with { Mixed = true },
                "--exec" => options with { Exec = true },
                "--exec-parts" => options with { ExecParts = List(flag, Value(), Client.ExecRun.AllParts) },
                "--exec-targets" => options with { ExecTargets = List(flag, Value(), Client.ExecRun.AllTargets) },
                "--clients" => options with { Clients = Int(flag, Value(), 1, 1000) },
                "--exec-limit" => options with { ExecLimit = Int(flag, Value(), 1, 100_000) },
                "--slow-rate" => options with { SlowRate = Int(flag, Value(), 1000, 1_000_000_000) },
                "--slow-seconds" => options with { SlowSeconds = Int(flag, Value(), 2, 3600) },
                "--files-slow" => options with { FilesSlow = true },
                "--address" => options with { Address = Value() },
                "--remote-path" => options with { RemotePath = Value() },
                "--server-pid" => options with { ServerPid = Int(flag, Value(), 1, int.MaxValue) },
                "--key-file" => options with { KeyFile = Value() },
                "--sshd" => options with { Sshd = true },
                "--help" or "-h" => options with { Help = true },
                _ => throw new ArgumentException($"unknown option '{flag}'"),
            };
        }

        if (options.Targets.Count == 0)
        {
            throw new ArgumentException("--target names no target");
        }

        if (options.Mixed && options.Connections < 2)
        {
            throw new ArgumentException("--mixed needs --connections 2 or more: one streams, the others echo");
        }

        return options;
    }

    private static string[] List(string flag, string text, IReadOnlyList<string> allowed)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var item in items)
        {
            if (!allowed.Contains(item))
            {
                throw new ArgumentException($"{flag}: '{item}' is not one of {string.Join(", ", allowed)}");
            }
        }

        return items.Length > 0 ? items : throw new ArgumentException($"{flag} names nothing");
    }

    private static int Int(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{flag} must be an integer from {min} to {max}, got '{text}'");

    private static TimeSpan Seconds(string flag, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException($"{flag} must be a number of seconds from {min} to {max}, got '{text}'");
}
