#!/usr/bin/env bash
# Runs Sockit's load comparison in one go, on this machine, over loopback only, and prints a markdown summary.
#
#   bench/run-bench.sh                      # the real run: 10 s per measurement
#   DURATION=2 bench/run-bench.sh           # a smoke run
#
# Environment (defaults in brackets):
#   DURATION [10]      measured seconds per run          WARMUP [5]       unmeasured seconds before each
#   CONNECTIONS [64]   connections per run               SIZE [64]        echo body bytes
#   DEEP_PIPELINE [100] requests in flight per connection in the pipelined runs
#   IDLE [10000]       idle connections for the memory test (0 skips it)
#   REPEAT [1]         rounds of each comparison, targets interleaved; the summary takes the median
#   PYTHON [python3]   interpreter for the Python baseline
#   MICRO [0]          1 also runs the BenchmarkDotNet micro-benchmarks; MICRO_ARGS ["--filter *"] passes switches
#   TLS [0]            1 also compares plain TCP with TLS (echo and a STREAM_MIB [1024] MiB stream); its summary
#                      lines go to the results file
#   MIXED [1]          mixed traffic against `sockit serve`: CONNECTIONS-1 echo connections alone and beside one
#                      connection streaming STREAM_MIB MiB of 1 MiB echoes (that window ends at DURATION if sooner);
#                      0 skips it
#   EXEC [1]           remote commands against `sockit serve` (anonymous exec, loopback only): the spawn rate of
#                      `true` from EXEC_CLIENTS [8] clients against exec, the legacy listener, the tutorials' Python
#                      server and ssh to a private sshd (when openssh-server is installed); `head -c STREAM_MIB M
#                      /dev/zero` through exec beside a local pipe; a reader at SLOW_RATE [1000000] bytes/s for
#                      SLOW_SECONDS [20] s. EXEC_PARTS [spawn,stream,slow] picks parts; 0 skips it all
#   FILES [1]          the file service against `sockit serve` (homes on tmpfs /dev/shm and on disk), `sockit put/get`
#                      driven as a user runs them: a FILES_MIB [1024] MiB file of random bytes put and got (cold: the
#                      server hashes it; warm: its hash is known) beside ncat, scp (aes128-gcm, to the exec part's
#                      private sshd; FILES_SCP [1]), the tutorials' upload in Python (bench/python_upload.py, recv 64 KiB),
#                      the least work a verified upload can do (bench/verified_copy.py: the ceiling) and SHA-256 alone; on disk beside `cp` + `sync`; FILES_SMALL [1000] files of FILES_SMALL_KIB [4]
#                      KiB with `put -r` beside `scp -r` and `cp -r` + `sync`; server RSS during a FILES_BIG_MIB [4096]
#                      MiB put and get; a download read at SLOW_RATE bytes/s for SLOW_SECONDS s. FILES_PARTS
#                      [bulk,disk,small,memory,slow] picks parts; FILES_DISK_DIR [artifacts] is where the on-disk files
#                      go. Needs ncat (Debian: apt-get install ncat) for that anchor; 0 skips it all. Every `sockit`
#                      there is the tool as the README installs it (packed, then installed into the run's folder:
#                      ReadyToRun on linux-x64); FILES_TOOL=0 runs the plain build (`dotnet sockit.dll`) instead
#   ECHO [1]           0 skips the framed echo comparisons (for a run of FILES alone: ECHO=0 MIXED=0 IDLE=0 EXEC=0)
#   OUT [artifacts/bench/DATE]  where the raw result lines and summary.md go
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
# Longer than the tool's own 2 s default: the servers run tiered JIT, and a busy machine can leave the Sockit
# server on unoptimised code for seconds (a 1 s warm-up measured it at a quarter of its warm rate).
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-64}
SIZE=${SIZE:-64}
DEEP_PIPELINE=${DEEP_PIPELINE:-100}
IDLE=${IDLE:-10000}
REPEAT=${REPEAT:-1}
PYTHON=${PYTHON:-python3}
MICRO=${MICRO:-0}
MICRO_ARGS=${MICRO_ARGS:-"--filter *"}
TLS=${TLS:-0}
STREAM_MIB=${STREAM_MIB:-1024}
MIXED=${MIXED:-1}
EXEC=${EXEC:-1}
EXEC_CLIENTS=${EXEC_CLIENTS:-8}
EXEC_PARTS=${EXEC_PARTS:-spawn,stream,slow}
SLOW_RATE=${SLOW_RATE:-1000000}
SLOW_SECONDS=${SLOW_SECONDS:-20}
ECHO=${ECHO:-1}
FILES=${FILES:-1}
FILES_MIB=${FILES_MIB:-1024}
FILES_SCP=${FILES_SCP:-1}
FILES_SMALL=${FILES_SMALL:-1000}
FILES_SMALL_KIB=${FILES_SMALL_KIB:-4}
FILES_BIG_MIB=${FILES_BIG_MIB:-4096}
FILES_PARTS=${FILES_PARTS:-bulk,disk,small,memory,slow}
FILES_DISK_DIR=${FILES_DISK_DIR:-$PWD/artifacts}
FILES_TOOL=${FILES_TOOL:-1}
OUT=${OUT:-artifacts/bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: > "$RESULTS"

echo "== building (Release)" >&2
dotnet build -c Release --nologo -v q bench/Sockit.LoadTest/Sockit.LoadTest.csproj >&2
TOOL=bench/Sockit.LoadTest/bin/Release/net10.0/Sockit.LoadTest

{
  echo "# machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  echo "# dotnet $(dotnet --version), $("$PYTHON" --version 2>&1)"
  echo "# DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS SIZE=$SIZE DEEP_PIPELINE=$DEEP_PIPELINE IDLE=$IDLE REPEAT=$REPEAT MIXED=$MIXED STREAM_MIB=$STREAM_MIB"
  echo "# ECHO=$ECHO EXEC=$EXEC EXEC_CLIENTS=$EXEC_CLIENTS EXEC_PARTS=$EXEC_PARTS SLOW_RATE=$SLOW_RATE SLOW_SECONDS=$SLOW_SECONDS"
  echo "# FILES=$FILES FILES_MIB=$FILES_MIB FILES_SMALL=$FILES_SMALL FILES_SMALL_KIB=$FILES_SMALL_KIB FILES_BIG_MIB=$FILES_BIG_MIB FILES_PARTS=$FILES_PARTS FILES_TOOL=$FILES_TOOL"
} | tee -a "$RESULTS" >&2

common=(--connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" --repeat "$REPEAT" --python "$PYTHON")

if [ "$ECHO" = 1 ]; then
  echo "== framed echo, $CONNECTIONS connections, 1 in flight: sockit, raw, python" >&2
  "$TOOL" --target sockit,raw,python --pipeline 1 "${common[@]}" | tee -a "$RESULTS"

  echo "== pipelined echo, $CONNECTIONS connections, $DEEP_PIPELINE in flight: sockit, raw" >&2
  "$TOOL" --target sockit,raw --pipeline "$DEEP_PIPELINE" "${common[@]}" | tee -a "$RESULTS"
fi

if [ "$MIXED" = 1 ]; then
  echo "== mixed traffic: $((CONNECTIONS - 1)) echo connections alone and beside a $STREAM_MIB MiB stream (sockit serve)" >&2
  # One server for both windows; the tool warms it up once with both kinds of traffic, then alternates the windows.
  "$TOOL" --mixed --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" \
    --repeat "$REPEAT" --stream-mib "$STREAM_MIB" | tee -a "$RESULTS"
fi

if [ "$TLS" = 1 ]; then
  echo "== TLS vs plain TCP: client library echo, $STREAM_MIB MiB stream" >&2
  "$TOOL" --tls-compare --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" \
    --repeat "$REPEAT" --stream-mib "$STREAM_MIB" | tee -a "$RESULTS"
fi

if [ "$EXEC" = 1 ]; then
  echo "== remote commands: spawn rate ($EXEC_CLIENTS clients), ${STREAM_MIB} MiB stream, slow reader ($EXEC_PARTS)" >&2
  "$TOOL" --exec --exec-parts "$EXEC_PARTS" --clients "$EXEC_CLIENTS" --duration "$DURATION" --warmup "$WARMUP" \
    --repeat "$REPEAT" --stream-mib "$STREAM_MIB" --slow-rate "$SLOW_RATE" --slow-seconds "$SLOW_SECONDS" \
    --python "$PYTHON" | tee -a "$RESULTS"
fi

if [ "$FILES" = 1 ]; then
  echo "== files: put/get against ncat, scp, python, cp + sync; put -r of many small files; memory ($FILES_PARTS)" >&2
  mkdir -p "$FILES_DISK_DIR"
  # shellcheck source=bench/files-bench.sh
  . bench/files-bench.sh
  files_bench
fi

if [ "$IDLE" -gt 0 ]; then
  echo "== idle connections: $IDLE" >&2
  # Each idle connection is a descriptor in the tool and in the server; raise the limit as far as allowed.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE + 100)) ]; then
    echo "warning: ulimit -n is $(ulimit -n), below $IDLE idle connections" >&2
  fi
  "$TOOL" --target sockit,raw --idle "$IDLE" --size "$SIZE" | tee -a "$RESULTS"
fi

"$PYTHON" - "$RESULTS" "$CONNECTIONS" "$DEEP_PIPELINE" > "$OUT/summary.md" <<'PY'
import statistics, sys

path, conns, deep = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [dict(f.split("=", 1) for f in line.split()) for line in open(path) if line.startswith("target=")]

def median(target, key, **match):
    values = [float(r[key]) for r in rows if r["target"] == target and key in r and r[key] != "na"
              and all(r.get(k) == v for k, v in match.items())]
    return statistics.median(values) if values else None

def fmt(v, digits=0):
    return "n/a" if v is None else f"{v:,.{digits}f}"

def ratio(a, b):
    return None if a is None or not b else a / b

def round_ratio(a, b, key, **match):
    """The k-th row of a against the k-th row of b, for every round both have, and the median of those ratios."""
    def series(target):
        return [float(r[key]) for r in rows if r["target"] == target and all(r.get(k) == v for k, v in match.items())]
    # The pipe's rows carry window=na; match on the window only for the target that has one.
    xs = series(a)
    ys = [float(r[key]) for r in rows if r["target"] == b and all(r.get(k) == v for k, v in match.items() if k != "window")]
    values = [x / y for x, y in zip(xs, ys) if y]
    return (statistics.median(values) if values else None), values

# Echo rows are the load runs' own (they have a pipeline); the exec modes' rows have none.
echo_rows = any("pipeline" in r for r in rows)
if echo_rows:
    print("## Load comparison\n")
    print("| scenario | target | round trips/s | p50 µs | p99 µs | server CPU (cores) | client CPU (cores) | sockit ÷ target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, pipeline, targets in ((f"{conns} conns × 1 in flight", "1", ("sockit", "raw", "python")),
                                     (f"{conns} conns × {deep} in flight", deep, ("sockit", "raw"))):
        sockit = median("sockit", "rps", pipeline=pipeline)
        for t in targets:
            rps = median(t, "rps", pipeline=pipeline)
            print(f"| {label} | {t} | {fmt(rps)} | {fmt(median(t, 'p50_us', pipeline=pipeline), 1)} | "
                  f"{fmt(median(t, 'p99_us', pipeline=pipeline), 1)} | {fmt(median(t, 'server_cpu', pipeline=pipeline), 2)} | "
                  f"{fmt(median(t, 'client_cpu', pipeline=pipeline), 2)} | {fmt(ratio(sockit, rps), 2)} |")

mixed = [r for r in rows if r.get("mode") == "mixed"]
if mixed:
    echo_conns = mixed[0]["conns"]
    print(f"\n## Mixed traffic (sockit serve, {echo_conns} echo connections × 1 in flight, one more streaming 1 MiB echoes)\n")
    print("| echo connections | round trips/s | p50 µs | p99 µs | p99.9 µs | max µs | server CPU (cores) | client CPU (cores) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    keys = ("rps", "p50_us", "p99_us", "p999_us", "max_us")
    figures = {}
    for phase, label in (("echo-only", "alone"), ("with-bulk", "beside the stream")):
        figures[phase] = [median("sockit-serve", k, phase=phase) for k in keys]
        rps, *lat = figures[phase]
        print(f"| {label} | {fmt(rps)} | " + " | ".join(fmt(v, 1) for v in lat) + " | "
              f"{fmt(median('sockit-serve', 'server_cpu', phase=phase), 2)} | {fmt(median('sockit-serve', 'client_cpu', phase=phase), 2)} |")
    print("| beside ÷ alone | " + " | ".join(fmt(ratio(b, a), 2) for a, b in zip(figures["echo-only"], figures["with-bulk"])) + " | | |")
    ends = sorted({r["bulk_end"] for r in mixed if "bulk_end" in r})
    print(f"\nThe stream: {fmt(median('sockit-serve', 'bulk_mib', phase='with-bulk'))} MiB each way at "
          f"{fmt(median('sockit-serve', 'bulk_mib_per_s', phase='with-bulk'), 1)} MiB/s "
          f"(window ended by: {', '.join(ends)}; `bytes` = the whole stream, `time` = the duration).")

idle = [r for r in rows if "idle" in r]
if idle:
    print("\n## Idle connections\n")
    print("| target | connections | RSS per connection | managed per connection |")
    print("|---|---:|---:|---:|")
    for r in idle:
        managed = r["managed_per_conn_bytes"]
        print(f"| {r['target']} | {r['idle']} | {int(r['rss_per_conn_bytes']):,} B | "
              + (f"{int(managed):,} B |" if managed != "na" else "n/a |"))

def check(ok):
    return "n/a" if ok is None else ("yes" if ok else "**no**")

targets = []
if echo_rows or idle:
    s1, r1, p1 = (median(t, "rps", pipeline="1") for t in ("sockit", "raw", "python"))
    sd = median("sockit", "rps", pipeline=deep)
    idle_rss = median("sockit", "rss_per_conn_bytes")
    idle_managed = median("sockit", "managed_per_conn_bytes")
    vs_raw, vs_py = ratio(s1, r1), ratio(s1, p1)
    targets += [
        f"| framed echo vs raw, {conns} conns × 1 | ≥ 0.90 × raw | {fmt(vs_raw, 2)} × | {check(None if vs_raw is None else vs_raw >= 0.9)} |",
        f"| framed echo vs python, {conns} conns × 1 | ≥ 2 × python | {fmt(vs_py, 2)} × | {check(None if vs_py is None else vs_py >= 2)} |",
        f"| pipelined, {deep} in flight per conn | > 300,000 frames/s | {fmt(sd)} | {check(None if sd is None else sd > 300_000)} |",
        f"| idle connection, server RSS | < 20 KiB | {fmt(None if idle_rss is None else idle_rss / 1024, 1)} KiB | {check(None if idle_rss is None else idle_rss < 20 * 1024)} |",
        f"| idle connection, server managed heap | < 20 KiB | {fmt(None if idle_managed is None else idle_managed / 1024, 1)} KiB | {check(None if idle_managed is None else idle_managed < 20 * 1024)} |",
    ]

# Remote commands: the rows of `--exec` (mode exec-spawn, exec-stream, exec-slow).
spawn = [r for r in rows if r.get("mode") == "exec-spawn"]
stream = [r for r in rows if r.get("mode") == "exec-stream"]
slow = [r for r in rows if r.get("mode") == "exec-slow"]
if spawn or stream or slow:
    print("\n## Remote commands (exec)")
if spawn:
    clients = spawn[0]["clients"]
    rounds = max(sum(1 for r in spawn if r["target"] == t) for t in {r["target"] for r in spawn})
    print(f"\n### Spawn rate: `true`, {clients} concurrent clients (median of {rounds} round{'s' if rounds > 1 else ''})\n")
    print("| target | commands/s | p50 ms | p99 ms | server CPU (cores) | server CPU per command | machine CPU (cores) | errors | sockit-exec ÷ target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    sockit_cps = median("sockit-exec", "cps", mode="exec-spawn")
    for t in ("sockit-exec", "sockit-legacy", "python-exec", "ssh", "ssh-mux", "spawn-only"):
        if not any(r["target"] == t for r in spawn):
            continue
        cps = median(t, "cps", mode="exec-spawn")
        p50, p99 = (median(t, k, mode="exec-spawn") for k in ("p50_us", "p99_us"))
        errors = sum(int(r["errors"]) for r in spawn if r["target"] == t)
        per = [float(r["server_cpu"]) / float(r["cps"]) * 1000 for r in spawn
               if r["target"] == t and r["server_cpu"] != "na" and float(r["cps"]) > 0]
        print(f"| {t} | {fmt(cps, 1)} | {fmt(None if p50 is None else p50 / 1000, 1)} | {fmt(None if p99 is None else p99 / 1000, 1)} | "
              f"{fmt(median(t, 'server_cpu', mode='exec-spawn'), 2)} | {fmt(statistics.median(per) if per else None, 2)}{' ms' if per else ''} | "
              f"{fmt(median(t, 'machine_cpu', mode='exec-spawn'), 2)} | {errors} | {fmt(ratio(sockit_cps, cps), 2)} |")
    # Rounds interleave the targets, so the ratio within each round cancels the machine's drift between rounds.
    vs = round_ratio("sockit-exec", "python-exec", "cps", mode="exec-spawn")
    print(f"\nsockit-exec ÷ python-exec within each round: {', '.join(fmt(v, 2) for v in vs[1])}; median {fmt(vs[0], 2)}.")
    if any(r["target"] == "spawn-only" for r in spawn):
        # The ceiling: the command spawned and reaped by the load tool itself, with no server in between.
        for t in ("sockit-exec", "python-exec"):
            vc = round_ratio(t, "spawn-only", "cps", mode="exec-spawn")
            print(f"\n{t} ÷ spawn-only (the ceiling) within each round: {', '.join(fmt(v, 2) for v in vc[1])}; median {fmt(vc[0], 2)}.")
    targets.append(f"| exec spawn rate vs python, `true`, {clients} clients | ≥ 1.5 × python | {fmt(vs[0], 2)} × (median of per-round ratios) | {check(None if vs[0] is None else vs[0] >= 1.5)} |")
if stream:
    mib = int(stream[0]["bytes"]) // (1 << 20)
    print(f"\n### Streaming: `head -c {mib}M /dev/zero` to a client that discards it (median over the rounds)\n")
    print("| path | output window | GB/s | ÷ pipe | CPU s per GiB | server RSS before | server RSS peak | server RSS after | growth |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    pipe = median("pipe", "gb_per_s", mode="exec-stream")
    def mib_of(kib):
        return None if kib is None else kib / 1024
    variants = sorted({(r["target"], r["window"]) for r in stream}, key=lambda v: (v[0] != "sockit-exec", v[0], v[1]))
    best = None
    worst_growth = None
    for target, window in variants:
        m = dict(mode="exec-stream", window=window)
        gbps = median(target, "gb_per_s", **m)
        cells = [fmt(mib_of(median(target, k, **m)), 1) + (" MiB" if median(target, k, **m) is not None else "")
                 for k in ("server_rss_before_kib", "server_rss_peak_kib", "server_rss_after_kib", "server_rss_growth_kib")]
        label = "n/a" if window == "na" else f"{int(window) // 1024:,} KiB"
        print(f"| {target} | {label} | {fmt(gbps, 2)} | {fmt(ratio(gbps, pipe), 2)} | {fmt(median(target, 'cpu_s_per_gib', **m), 2)} | "
              + " | ".join(cells) + " |")
        if target == "sockit-exec":
            best = gbps if best is None or (gbps or 0) > best else best
            growth = max(float(r["server_rss_growth_kib"]) for r in stream if r["target"] == target and r["window"] == window)
            worst_growth = growth if worst_growth is None else max(worst_growth, growth)
    per_round = {w: round_ratio("sockit-exec", "pipe", "gb_per_s", mode="exec-stream", window=w) for t, w in variants if t == "sockit-exec"}
    for w, (med, values) in per_round.items():
        print(f"\nsockit-exec ({int(w) // 1024:,} KiB window) ÷ pipe within each round: {', '.join(fmt(v, 2) for v in values)}; median {fmt(med, 2)}.")
    best_ratio = max((med for med, _ in per_round.values() if med is not None), default=None)
    ok = None if best is None else best >= 1.0 or (best_ratio is not None and best_ratio >= 0.8)
    targets.append(f"| exec stream throughput | ≥ 1 GB/s or ≥ 0.8 × pipe | {fmt(best, 2)} GB/s; {fmt(best_ratio, 2)} × pipe (median of per-round ratios, best window) | {check(ok)} |")
    targets.append(f"| exec stream, server RSS growth (worst run) | < 64 MiB | {fmt(mib_of(worst_growth), 1)} MiB | {check(None if worst_growth is None else worst_growth < 64 * 1024)} |")
def rss_mib(r, key):
    return f"{int(r[key]) / 1024:,.1f} MiB"

if slow:
    r = slow[-1]
    rate = float(r["rate_bytes_per_s"]) / 1e6
    print(f"\n### Slow reader: the client reads at {rate:g} MB/s (output window {int(r['window']) // 1024:,} KiB)\n")
    print("| read | elapsed | command's own run time | command ahead of the reader (max) | server RSS before | min | max | spread |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    rss = [rss_mib(r, f"server_rss_{k}_kib") for k in ("before", "min", "max", "spread")]
    print(f"| {int(r['read_bytes']) / 1e6:,.1f} MB | {r['elapsed_s']} s | {r['command_duration_s']} s | {rss_mib(r, 'ahead_max_kib')} | "
          + " | ".join(rss) + " |")
    spread = int(r["server_rss_spread_kib"]) / 1024
    ahead = int(r["ahead_max_kib"]) / 1024
    targets.append(f"| slow reader at {rate:g} MB/s: server RSS flat, command held back | RSS spread < 8 MiB, command ≤ 4 MiB ahead | "
                   f"{spread:,.1f} MiB, {ahead:,.1f} MiB | {check(spread < 8 and ahead <= 4)} |")

# The file service: the rows of the FILES part (mode files-bulk, files-small, files-memory, files-slow).
bulk = [r for r in rows if r.get("mode") == "files-bulk"]
small = [r for r in rows if r.get("mode") == "files-small"]
memory = [r for r in rows if r.get("mode") == "files-memory"]
fslow = [r for r in rows if r.get("mode") == "files-slow"]
if bulk or small or memory or fslow:
    print("\n## File service")
for fs, anchor in (("tmpfs", "ncat"), ("disk", "cp-sync")):
    fr = [r for r in bulk if r["fs"] == fs]
    if not fr:
        continue
    mib = int(fr[0]["bytes"]) >> 20
    rounds = max(sum(1 for r in fr if r["target"] == t) for t in {r["target"] for r in fr})
    print(f"\n### {mib} MiB on {fs} (median of {rounds} round{'s' if rounds > 1 else ''}; ratios: median of the per-round ratios)\n")
    print(f"| target | MiB/s | seconds | client CPU s | server CPU s | CPU s per GiB, both ends | load average | ÷ {anchor} |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in ("sockit-put", "sockit-get-cold", "sockit-get", "ncat", "verified-copy", "scp", "python-upload", "cp-sync", "sha256"):
        m = dict(mode="files-bulk", fs=fs)
        if not any(r["target"] == t for r in fr):
            continue
        client, server = median(t, "client_cpu_s", **m), median(t, "server_cpu_s", **m)
        per_gib = None if client is None else (client + (server or 0)) * (1 << 30) / int(fr[0]["bytes"])
        vs = round_ratio(t, anchor, "mib_per_s", **m)
        print(f"| {t} | {fmt(median(t, 'mib_per_s', **m), 1)} | {fmt(median(t, 'seconds', **m), 2)} | {fmt(client, 2)} | "
              f"{fmt(server, 2)} | {fmt(per_gib, 2)} | {fmt(median(t, 'load', **m), 1)} | {fmt(vs[0], 2)} |")
    for t in ("verified-copy", "sockit-put", "sockit-get-cold", "sockit-get"):
        if t == "verified-copy":
            # The ceiling: what the least work a verified upload must do reaches here, against the target's anchor.
            vc, vp = round_ratio(t, anchor, "mib_per_s", mode="files-bulk", fs=fs), round_ratio("sockit-put", t, "mib_per_s", mode="files-bulk", fs=fs)
            if vc[1]:
                print(f"\nverified-copy (the ceiling) ÷ {anchor} within each round: {', '.join(fmt(v, 2) for v in vc[1])}; median {fmt(vc[0], 2)}.")
            if vp[1]:
                print(f"sockit-put ÷ verified-copy within each round: {', '.join(fmt(v, 2) for v in vp[1])}; median {fmt(vp[0], 2)}.")
            continue
        vs = round_ratio(t, anchor, "mib_per_s", mode="files-bulk", fs=fs)
        if vs[1]:
            need = 1.3 if fs == "tmpfs" else 0.9
            print(f"\n{t} ÷ {anchor} within each round: {', '.join(fmt(v, 2) for v in vs[1])}; median {fmt(vs[0], 2)}.")
            if t != "sockit-get":
                label = t.replace("sockit-", "").replace("-cold", " (server hashes the file)")
                targets.append(f"| {mib} MiB {label} on {fs} | ≥ {need} × {anchor} | {fmt(vs[0], 2)} × (median of per-round ratios) | {check(vs[0] >= need)} |")
if small:
    n, kib = small[0]["files"], small[0]["file_kib"]
    print(f"\n### {n} files of {kib} KiB (median over the rounds)\n")
    print("| target | fs | files/s | seconds | load average |")
    print("|---|---|---:|---:|---:|")
    for t, fs in sorted({(r["target"], r["fs"]) for r in small}):
        m = dict(mode="files-small", fs=fs)
        print(f"| {t} | {fs} | {fmt(median(t, 'files_per_s', **m))} | {fmt(median(t, 'seconds', **m), 2)} | {fmt(median(t, 'load', **m), 1)} |")
    for fs in ("tmpfs", "disk"):
        rate = median("sockit-put-r", "files_per_s", mode="files-small", fs=fs)
        if rate is not None:
            targets.append(f"| put -r of {n} × {kib} KiB files, homes on {fs} | ≥ 2,000 files/s | {fmt(rate)} files/s | {check(rate >= 2000)} |")
if memory:
    print("\n### Server memory during a large transfer\n")
    print("| transfer | size | RSS before | peak | after | growth |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in memory:
        rss = [rss_mib(r, f"server_rss_{k}_kib") for k in ("before", "peak", "after", "growth")]
        print(f"| {r['target'].replace('sockit-', '')} | {int(r['bytes']) >> 20:,} MiB | " + " | ".join(rss) + " |")
        growth = int(r["server_rss_growth_kib"]) / 1024
        targets.append(f"| server RSS growth during a {int(r['bytes']) >> 20:,} MiB {r['target'].replace('sockit-', '')} | < 64 MiB | {growth:,.1f} MiB | {check(growth < 64)} |")
if fslow:
    r = fslow[-1]
    rate = float(r["rate_bytes_per_s"]) / 1e6
    print(f"\n### A download read at {rate:g} MB/s (window {int(r['window']) >> 20} MiB)\n")
    print("| read | elapsed | server RSS before | min (steady) | max (steady) | spread |")
    print("|---:|---:|---:|---:|---:|---:|")
    rss = [rss_mib(r, f"server_rss_{k}_kib") for k in ("before", "min", "max", "spread")]
    print(f"| {int(r['read_bytes']) / 1e6:,.1f} MB | {r['elapsed_s']} s | " + " | ".join(rss) + " |")
    spread = int(r["server_rss_spread_kib"]) / 1024
    targets.append(f"| a download read at {rate:g} MB/s: server RSS flat | spread < 8 MiB | {spread:,.1f} MiB | {check(spread < 8)} |")

if targets:
    print("\n## Targets\n")
    print("| target | required | measured | met |")
    print("|---|---|---:|---|")
    print("\n".join(targets))
PY

if [ "$MICRO" = 1 ]; then
  echo "== micro-benchmarks (BenchmarkDotNet)" >&2
  # MICRO_ARGS is split into switches on purpose, but its '*' must reach BenchmarkDotNet, not the shell.
  # shellcheck disable=SC2086
  (set -f; cd bench/Sockit.Benchmarks && dotnet run -c Release -- $MICRO_ARGS --artifacts "../../$OUT/micro") >&2
  cat "$OUT"/micro/results/*-report-github.md >> "$OUT/summary.md" 2>/dev/null || true
fi

echo >&2
echo "== results: $RESULTS, summary: $OUT/summary.md" >&2
cat "$OUT/summary.md"
