# The FILES part of bench/run-bench.sh (sourced by it; see its header for the switches). Drives the real
# `sockit serve` and `sockit put/get` beside the anchors the issue names, in one run, rounds interleaved, and appends
# `target=... mode=files-...` lines to $RESULTS. Every measured command is timed from outside (wall clock), with the
# CPU time it used (its own, and the server's from /proc), since on a shared machine the CPU time is the steadier
# figure.

files_now() { date +%s.%N; }

# The server's CPU seconds so far (user + system).
files_server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

files_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

files_load() { cut -d' ' -f1 /proc/loadavg; }

files_free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# files_serve NAME DATA_ROOT: starts `sockit serve` with its own config folder and the homes in DATA_ROOT; sets
# FILES_PID_<NAME> and FILES_ADDR_<NAME>.
files_serve() {
  local name=$1 root=$2 log="$FILES_WORK/serve-$1.log"
  mkdir -p "$root"
  XDG_CONFIG_HOME="$FILES_WORK/config" "${SOCKIT_CMD[@]}" serve --listen framed=tcp://127.0.0.1:0 \
    --set "Sockit:Files:DataRoot=$root" --set Logging:LogLevel:Default=Warning > "$log" 2>&1 &
  local pid=$! i
  for i in $(seq 1 600); do
    grep -q '^ready' "$log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  printf -v "FILES_PID_$name" %s "$pid"
  printf -v "FILES_ADDR_$name" %s "$(awk '$1 == "listening" && $2 == "Framed" { print $3 }' "$log")"
}

files_sock() { XDG_CONFIG_HOME="$FILES_WORK/config" "${SOCKIT_CMD[@]}" "$@"; }

# files_tool: sets SOCKIT_CMD to the sockit command the run uses: the tool packed and installed as the README says
# (into the run's folder), or with FILES_TOOL=0 the plain build beside the load tool.
files_tool() {
  if [ "$FILES_TOOL" = 0 ]; then
    SOCKIT_CMD=(dotnet "$(dirname "$TOOL")/sockit.dll")
    return 0
  fi
  echo "== files: packing and installing the sockit tool" >&2
  dotnet pack src/Sockit.Cli -c Release -o "$FILES_WORK/artifacts" -nodeReuse:false > "$FILES_WORK/pack.log" 2>&1 \
    && dotnet tool install --tool-path "$FILES_WORK/tool" --source "$FILES_WORK/artifacts" sockit > "$FILES_WORK/install.log" 2>&1 \
    || { echo "files: the tool could not be packed or installed: $(tail -3 "$FILES_WORK/pack.log" "$FILES_WORK/install.log" 2>/dev/null)" >&2; return 1; }
  SOCKIT_CMD=("$FILES_WORK/tool/sockit")
  echo "# files: sockit is the installed tool, $(find "$FILES_WORK/tool/.store" -name sockit.dll -printf '%h\n' | sed 's|.*/||') build" | tee -a "$RESULTS" >&2
}

# files_measure TARGET MODE FS BYTES SERVER_PID COMMAND...: runs COMMAND once, prints one result line.
files_measure() {
  local target=$1 mode=$2 fs=$3 bytes=$4 spid=$5
  shift 5
  local cpu_file="$FILES_WORK/cpu" s0 t0 t1 s1 load
  load=$(files_load)
  s0=$( [ "$spid" = - ] && echo 0 || files_server_cpu "$spid")
  t0=$(files_now)
  if ! /usr/bin/time -f "%U %S" -o "$cpu_file" "$@" > /dev/null 2> "$FILES_WORK/err"; then
    echo "files: $target $mode $fs failed: $(tail -3 "$FILES_WORK/err")" >&2
    return 0
  fi
  t1=$(files_now)
  s1=$( [ "$spid" = - ] && echo 0 || files_server_cpu "$spid")
  "$PYTHON" - "$target" "$mode" "$fs" "$bytes" "$t0" "$t1" "$s0" "$s1" "$(tail -1 "$cpu_file")" "$load" "$FILES_ROUND" <<'PY' | tee -a "$RESULTS"
import sys
target, mode, fs, size, t0, t1, s0, s1, cpu, load, rnd = sys.argv[1:]
secs = float(t1) - float(t0)
user, system = (float(x) for x in cpu.split())
server = float(s1) - float(s0)
size = int(size)
print(f"target={target} mode={mode} fs={fs} round={rnd} bytes={size} seconds={secs:.3f} mib_per_s={size / 2**20 / secs:.1f} "
      f"client_cpu_s={user + system:.2f} server_cpu_s={server if target.startswith('sockit') else 0:.2f} load={load}")
PY
}

# files_small TARGET FS SERVER_PID COMMAND...: like files_measure for the many-small-files runs (files/s).
files_small() {
  local target=$1 fs=$2 spid=$3
  shift 3
  local t0 t1 load
  load=$(files_load)
  t0=$(files_now)
  if ! "$@" > /dev/null 2> "$FILES_WORK/err"; then
    echo "files: $target small $fs failed: $(tail -3 "$FILES_WORK/err")" >&2
    return 0
  fi
  t1=$(files_now)
  "$PYTHON" -c 'import sys; t, fs, n, kib, a, b, load, rnd = sys.argv[1:]; s = float(b) - float(a); print(f"target={t} mode=files-small fs={fs} round={rnd} files={n} file_kib={kib} seconds={s:.3f} files_per_s={int(n) / s:.0f} load={load}")' \
    "$target" "$fs" "$FILES_SMALL" "$FILES_SMALL_KIB" "$t0" "$t1" "$load" "$FILES_ROUND" | tee -a "$RESULTS"
}

# files_ncat_listen SRC DST: a one-shot ncat listener writing DST that touches DST.done once it has it all; prints
# its port. The sender is timed from outside until the mark appears.
files_ncat_listen() {
  local port
  port=$(files_free_port)
  ( ncat -l 127.0.0.1 "$port" > "$1"; touch "$1.done" ) > /dev/null 2>&1 &
  while ! ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port "; do sleep 0.02; done
  echo "$port"
}

# files_rss_during SERVER_PID COMMAND...: runs COMMAND while sampling the server's RSS every 0.1 s; prints
# "before peak after" in KiB.
files_rss_during() {
  local spid=$1 samples="$FILES_WORK/rss"
  shift
  local before
  before=$(files_rss_kib "$spid")
  ( while :; do files_rss_kib "$spid"; sleep 0.1; done ) > "$samples" &
  local sampler=$!
  "$@" > /dev/null 2> "$FILES_WORK/err" || echo "files: memory run failed: $(tail -3 "$FILES_WORK/err")" >&2
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  echo "$before $(sort -n "$samples" | tail -1) $(files_rss_kib "$spid")"
}

# files_put_get FS SERVER_PID ADDRESS SOURCE HOME DESTINATION: `sockit put` of SOURCE, then `sockit get` of it with
# the server made to hash it again (a new change time voids its hash), the cold figure. Leaves no DESTINATION.
files_put_get() {
  local fs=$1 spid=$2 address=$3 source=$4 home=$5 destination=$6
  local sockit=(env "XDG_CONFIG_HOME=$FILES_WORK/config" "${SOCKIT_CMD[@]}")
  files_measure sockit-put files-bulk "$fs" "$bytes" "$spid" "${sockit[@]}" put -q -f -s "$address" "$source" /big.bin
  rm -f "$destination"
  touch "$home/big.bin"
  files_measure sockit-get-cold files-bulk "$fs" "$bytes" "$spid" "${sockit[@]}" get -q -s "$address" /big.bin "$destination"
  rm -f "$destination"
}

# files_memory_line TARGET COMMAND...: the result line of one transfer of the FILES_BIG_MIB file with the server's RSS.
files_memory_line() {
  local target=$1 r
  shift
  r=$(files_rss_during "$FILES_PID_shm" "$@")
  echo "target=$target mode=files-memory bytes=$((FILES_BIG_MIB * 1024 * 1024)) $(echo "$r" | awk '{ printf "server_rss_before_kib=%d server_rss_peak_kib=%d server_rss_after_kib=%d server_rss_growth_kib=%d", $1, $2, $3, $2 - $1 }') load=$(files_load)" | tee -a "$RESULTS"
}

files_bench() {
  local mib=$FILES_MIB bytes=$((FILES_MIB * 1024 * 1024))
  local shm_free_mib
  shm_free_mib=$(( $(df -k --output=avail /dev/shm | tail -1) / 1024 ))
  # tmpfs holds the source, the server's copy and the client's copy of the large file (and the 4 GiB one, sparse
  # at the source but real in the home).
  local need=$((3 * mib + 64))
  case ",$FILES_PARTS," in *,memory,*) need=$((need + FILES_BIG_MIB)) ;; esac
  if [ "$shm_free_mib" -lt "$need" ]; then
    echo "files: /dev/shm has $shm_free_mib MiB free, the run needs $need MiB: skipped" | tee -a "$RESULTS" >&2
    return 0
  fi

  FILES_WORK=$(mktemp -d /dev/shm/sockit-bench-files.XXXXXX)
  local disk
  disk=$(mktemp -d "${FILES_DISK_DIR:-$PWD/artifacts}/sockit-bench-files.XXXXXX")
  FILES_SSHD_PID="" FILES_PYTHON_PID="" FILES_SSHD_FD="" FILES_PYTHON_FD="" FILES_VCOPY_PID="" FILES_VCOPY_FD=""
  # shellcheck disable=SC2064
  trap "files_cleanup '$disk'" RETURN
  mkdir -p "$FILES_WORK"/{src,dst,small} "$disk"/{src,dst,homes}
  files_tool || return 1

  echo "== files: making a $mib MiB file of random bytes on tmpfs and on disk ($disk)" >&2
  head -c "${mib}M" /dev/urandom > "$FILES_WORK/src/big.bin"
  cp "$FILES_WORK/src/big.bin" "$disk/src/big.bin"
  for i in $(seq 1 "$FILES_SMALL"); do head -c "$((FILES_SMALL_KIB * 1024))" /dev/urandom > "$FILES_WORK/small/f$i.bin"; done
  sync

  files_serve shm "$FILES_WORK/homes" || return 1
  files_serve disk "$disk/homes" || return 1
  echo "# files: sockit serve pid $FILES_PID_shm at $FILES_ADDR_shm (homes on tmpfs), pid $FILES_PID_disk at $FILES_ADDR_disk (homes on $(df --output=fstype "$disk" | tail -1) at $disk); $(nproc) cores" | tee -a "$RESULTS" >&2
  local home_shm="$FILES_WORK/homes/admin" home_disk="$disk/homes/admin"

  # scp to the exec comparison's private sshd, when openssh-server is installed.
  local scp_args=()
  if [ "$FILES_SCP" = 1 ]; then
    # The helper keeps sshd until its standard input (this FIFO) closes.
    mkfifo "$FILES_WORK/sshd.in"
    "$TOOL" --sshd < "$FILES_WORK/sshd.in" > "$FILES_WORK/sshd.out" 2> "$FILES_WORK/sshd.err" &
    FILES_SSHD_PID=$!
    exec {FILES_SSHD_FD}> "$FILES_WORK/sshd.in"
    local sshd_line="" i
    for i in $(seq 1 600); do
      sshd_line=$(head -1 "$FILES_WORK/sshd.out" 2>/dev/null)
      [ -n "$sshd_line" ] && break
      kill -0 "$FILES_SSHD_PID" 2>/dev/null || { sshd_line="unavailable=$(tail -1 "$FILES_WORK/sshd.err")"; break; }
      sleep 0.1
    done
    case $sshd_line in
      port=*)
        local port=${sshd_line#port=}; port=${port%% *}
        # -O: the classic scp protocol; the private sshd has no sftp subsystem.
        scp_args=(-O -q -F /dev/null -P "$port" -i "${sshd_line#*key=}" -o IdentitiesOnly=yes -o BatchMode=yes
                  -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -c aes128-gcm@openssh.com)
        echo "# files: scp to the exec comparison's private sshd on 127.0.0.1:$port, cipher aes128-gcm@openssh.com" | tee -a "$RESULTS" >&2 ;;
      *) echo "# files: scp skipped: ${sshd_line#unavailable=}" | tee -a "$RESULTS" >&2 ;;
    esac
  fi

  # The tutorials' upload, its receiver reading with recv(65536); it too ends when its standard input closes.
  mkfifo "$FILES_WORK/python.in"
  "$PYTHON" bench/python_upload.py serve --folder "$FILES_WORK/dst" --recv 65536 < "$FILES_WORK/python.in" > "$FILES_WORK/python.out" &
  FILES_PYTHON_PID=$!
  exec {FILES_PYTHON_FD}> "$FILES_WORK/python.in"
  local py_port=""
  while [ -z "$py_port" ]; do py_port=$(sed -n 's/^port=//p' "$FILES_WORK/python.out"); sleep 0.05; done

  # The least a verified upload can do (bench/verified_copy.py): the ceiling the put is measured against.
  mkdir -p "$FILES_WORK/vcopy"
  mkfifo "$FILES_WORK/vcopy.in"
  "$PYTHON" bench/verified_copy.py serve --folder "$FILES_WORK/vcopy" < "$FILES_WORK/vcopy.in" > "$FILES_WORK/vcopy.out" &
  FILES_VCOPY_PID=$!
  exec {FILES_VCOPY_FD}> "$FILES_WORK/vcopy.in"
  local vcopy_port=""
  while [ -z "$vcopy_port" ]; do vcopy_port=$(sed -n 's/^port=//p' "$FILES_WORK/vcopy.out"); sleep 0.05; done

  local have_ncat=0
  command -v ncat > /dev/null && have_ncat=1 || echo "# files: ncat skipped: not installed (Debian: apt-get install ncat)" | tee -a "$RESULTS" >&2

  # Warm-up: one put and get each way, unmeasured, so both servers and the client run optimised code.
  files_sock put -q -f -s "$FILES_ADDR_shm" "$FILES_WORK/small/f1.bin" /warm.bin
  files_sock put -q -f -s "$FILES_ADDR_disk" "$FILES_WORK/small/f1.bin" /warm.bin
  files_sock put -q -f -s "$FILES_ADDR_shm" "$FILES_WORK/src/big.bin" /big.bin
  rm -f "$FILES_WORK/dst/big.bin"; files_sock get -q -s "$FILES_ADDR_shm" /big.bin "$FILES_WORK/dst/big.bin"

  for FILES_ROUND in $(seq 1 "$REPEAT"); do
    echo "== files: round $FILES_ROUND of $REPEAT (load average $(files_load))" >&2
    case ",$FILES_PARTS," in *,bulk,*)
      files_put_get tmpfs "$FILES_PID_shm" "$FILES_ADDR_shm" "$FILES_WORK/src/big.bin" "$home_shm" "$FILES_WORK/dst/big.bin"
      # The file as the server last hashed it: its SHA-256 is known, only the client hashes.
      files_measure sockit-get files-bulk tmpfs "$bytes" "$FILES_PID_shm" \
        env "XDG_CONFIG_HOME=$FILES_WORK/config" "${SOCKIT_CMD[@]}" get -q -s "$FILES_ADDR_shm" /big.bin "$FILES_WORK/dst/big.bin"
      rm -f "$FILES_WORK/dst/big.bin"
      if [ "$have_ncat" = 1 ]; then
        local nc_port
        nc_port=$(files_ncat_listen "$FILES_WORK/dst/nc.bin")
        files_measure ncat files-bulk tmpfs "$bytes" - sh -c 'ncat --send-only 127.0.0.1 "$0" < "$1" && while [ ! -e "$2" ]; do sleep 0.005; done' \
          "$nc_port" "$FILES_WORK/src/big.bin" "$FILES_WORK/dst/nc.bin.done"
        rm -f "$FILES_WORK/dst/nc.bin" "$FILES_WORK/dst/nc.bin.done"
      fi
      if [ ${#scp_args[@]} -gt 0 ]; then
        files_measure scp files-bulk tmpfs "$bytes" - scp "${scp_args[@]}" "$FILES_WORK/src/big.bin" "127.0.0.1:$FILES_WORK/dst/scp.bin"
        rm -f "$FILES_WORK/dst/scp.bin"
      fi
      files_measure python-upload files-bulk tmpfs "$bytes" - "$PYTHON" bench/python_upload.py send --port "$py_port" "$FILES_WORK/src/big.bin"
      rm -f "$FILES_WORK/dst/big.bin"
      files_measure verified-copy files-bulk tmpfs "$bytes" - "$PYTHON" bench/verified_copy.py send --port "$vcopy_port" "$FILES_WORK/src/big.bin"
      rm -f "$FILES_WORK/vcopy/verified_copy.bin"
      # SHA-256 alone, as fast as this machine does it (OpenSSL, SHA extensions where the CPU has them).
      files_measure sha256 files-bulk tmpfs "$bytes" - openssl dgst -sha256 "$FILES_WORK/src/big.bin"
    ;; esac
    case ",$FILES_PARTS," in *,disk,*)
      files_put_get disk "$FILES_PID_disk" "$FILES_ADDR_disk" "$disk/src/big.bin" "$home_disk" "$disk/dst/big.bin"
      files_measure cp-sync files-bulk disk "$bytes" - sh -c 'cp "$0" "$1" && sync' "$disk/src/big.bin" "$disk/dst/cp.bin"
      rm -f "$disk/dst/cp.bin"
    ;; esac
    case ",$FILES_PARTS," in *,small,*)
      files_small sockit-put-r tmpfs "$FILES_PID_shm" files_sock put -r -q -s "$FILES_ADDR_shm" "$FILES_WORK/small" "/small-$FILES_ROUND"
      files_small sockit-put-r disk "$FILES_PID_disk" files_sock put -r -q -s "$FILES_ADDR_disk" "$FILES_WORK/small" "/small-$FILES_ROUND"
      if [ ${#scp_args[@]} -gt 0 ]; then
        files_small scp-r tmpfs - scp -r "${scp_args[@]}" "$FILES_WORK/small" "127.0.0.1:$FILES_WORK/dst/small-$FILES_ROUND"
      fi
      files_small cp-r-sync disk - sh -c 'cp -r "$0" "$1" && sync' "$FILES_WORK/small" "$disk/dst/small-$FILES_ROUND"
    ;; esac
  done

  case ",$FILES_PARTS," in *,memory,*)
    echo "== files: server RSS during a $FILES_BIG_MIB MiB put and get (sparse source)" >&2
    truncate -s "${FILES_BIG_MIB}M" "$FILES_WORK/src/huge.bin"
    local r
    files_memory_line sockit-put files_sock put -q -f -s "$FILES_ADDR_shm" "$FILES_WORK/src/huge.bin" /huge.bin
    files_memory_line sockit-get files_sock get -q -s "$FILES_ADDR_shm" /huge.bin "$FILES_WORK/dst/huge.bin"
    rm -f "$FILES_WORK/dst/huge.bin" "$FILES_WORK/src/huge.bin"
  ;; esac

  case ",$FILES_PARTS," in *,slow,*)
    echo "== files: a client reading a download at $SLOW_RATE bytes/s for $SLOW_SECONDS s" >&2
    "$TOOL" --files-slow --address "$FILES_ADDR_shm" --remote-path /big.bin --server-pid "$FILES_PID_shm" \
      --key-file "$FILES_WORK/config/sockit/local-credentials.json" --slow-rate "$SLOW_RATE" --slow-seconds "$SLOW_SECONDS" | tee -a "$RESULTS"
  ;; esac
}

files_cleanup() {
  local pid
  for pid in "${FILES_PID_shm:-}" "${FILES_PID_disk:-}"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  done
  # Closing their standard input ends the sshd helper and the Python receiver; other children inherited the write
  # ends of those FIFOs, so they are stopped by their ids as well.
  if [ -n "$FILES_SSHD_FD" ]; then exec {FILES_SSHD_FD}>&-; fi
  if [ -n "$FILES_PYTHON_FD" ]; then exec {FILES_PYTHON_FD}>&-; fi
  if [ -n "$FILES_VCOPY_FD" ]; then exec {FILES_VCOPY_FD}>&-; fi
  for pid in "$FILES_SSHD_PID" "$FILES_PYTHON_PID" "$FILES_VCOPY_PID"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$FILES_WORK" "$1"
  trap - RETURN
}
