#!/usr/bin/env bash
# Profiles one dhcpcluster node under perfdhcp at a fixed rate, as benchmarks/vs-kea.sh drives it:
# the node (bootstrap/target/dhcpcluster.jar, built if missing) runs in a network namespace with
# the SQLite store (or --store memory) and Java Flight Recorder; perfdhcp relays from 198.19.0.1,
# one DORA per new client. After a warm-up it measures, over one run at the fixed rate:
#   - the node's CPU time per lease (user + system from /proc/PID/stat over the ACKs received),
#     and the same split by thread (/proc/PID/task/*/stat), user and system apart;
#   - a JFR recording of the measured run only: the hottest methods (top frames of
#     jdk.ExecutionSample) by thread, and the bytes allocated by thread.
#
#   sudo benchmarks/profile-node.sh [--store sqlite|memory] [--rate 2000] [--seconds 15]
#                                   [--warmup 10000] [--top 25] [--keep DIR] [--no-jfr] [--perf] [--syscalls] [--jar FILE]
#
# --syscalls counts the node's system calls per lease with strace -c during the measured run
# (strace slows every call down: the CPU figures of such a run are not the node's own).
# --jar runs another build of the node (to compare two builds under the same load).
# --perf also samples the node with Linux perf during the measured run (kernel and native code
# included, which JFR does not see) and reports the shares by thread and by shared object.
# --no-jfr measures the CPU (in all and by thread) without recording, for figures free of JFR's
# own cost.
# --keep DIR keeps the recording (DIR/node.jfr) and the reports. DHCPCLUSTER_JAVA_OPTS sets the
# node's JVM options (by default -XX:+UseSerialGC, as vs-kea.sh and the dhcpcluster command); STORE_PARENT (default /var/tmp, a real disk) holds the
# SQLite store. Needs root, perfdhcp (Debian's kea-common), a JDK 17 with jfr, and python3.
# On exit it stops the node by PID and deletes its namespaces and temporary files.
set -euo pipefail

STORE=sqlite
RATE=2000
SECONDS_FIXED=15
WARMUP=10000
TOP=25
KEEP=""
JFR=1
PERF=0
JAR=""
SYSCALLS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --store) STORE="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_FIXED="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --top) TOP="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --no-jfr) JFR=0; shift ;;
    --perf) PERF=1; shift ;;
    --jar) JAR="$2"; shift 2 ;;
    --syscalls) SYSCALLS=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile-node.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "profile-node.sh: $*" >&2; exit 1; }
case "$STORE" in sqlite | memory) ;; *) die "--store is sqlite or memory, not '$STORE'" ;; esac
for value in "$RATE" "$SECONDS_FIXED" "$WARMUP" "$TOP"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || die "--rate, --seconds, --warmup and --top are positive whole numbers, not '$value'"
done
[ $((RATE * SECONDS_FIXED + WARMUP)) -le 64000 ] || die "--rate x --seconds + --warmup must be at most 64000 (the pool's size)"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces)"
for tool in ip perfdhcp java jfr python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

[ -z "$JAR" ] || JAR=$(realpath "$JAR")
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"
jar=${JAR:-$root/bootstrap/target/dhcpcluster.jar}
[ -n "$JAR" ] || [ -f "$jar" ] || ./mvnw -q -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip -pl bootstrap -am package

id="prof-$$"
work=$(mktemp -d "/tmp/$id-XXXXXX")
store=$(mktemp -d "${STORE_PARENT:-/var/tmp}/$id-XXXXXX")
server_pid=""
cleanup() {
  bench_stop_pid "$server_pid"
  bench_delete_namespaces
  if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" && cp "$work"/* "$KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$work" "$store"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_relay_lab "$id"
cat >"$work/node.json" <<JSON
{
  "node": { "id": 1, "data-directory": "$store" },
  "transport": { "type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0", "client-port": 68, "relay-port": 67 },
  "lease-store": { "type": "$STORE" },
  "Dhcp4": {
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "subnet4": [ { "id": 1, "subnet": "198.19.0.0/16", "pools": [ { "pool": "198.19.0.10 - 198.19.255.250" } ],
                   "option-data": [ { "name": "routers", "data": "198.19.0.1" } ] } ]
  }
}
JSON
# shellcheck disable=SC2086 # the options are words
ip netns exec "$id-server" java ${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" run \
  --config "$work/node.json" >"$work/node.log" 2>&1 &
server_pid=$!
bench_await_port_67 "$id-server" "$server_pid" "$work/node.log" || die "the node did not start"

perf() { # rate, clients, mac base, report
  local status=0
  timeout $(($2 / $1 + 60)) ip netns exec "$id-perf" perfdhcp -4 -r "$1" -R "$2" -n "$2" -p $(($2 / $1 + 30)) \
    -b "mac=$3" -u -l 198.19.0.1 198.18.0.1 >"$4" 2>&1 || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { cat "$4" >&2; die "perfdhcp failed with status $status"; }
}

# Per thread: "tid name utime stime" (clock ticks), one line each.
threads() {
  local task name
  for task in /proc/"$server_pid"/task/*; do
    name=$(tr ' ' '_' <"$task/comm" 2>/dev/null) || continue
    # Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
    sed 's/^.*) //' "$task/stat" 2>/dev/null | awk -v tid="${task##*/}" -v name="$name" '{ print tid, name, $12, $13 }' || true
  done
}

echo "warming up: $WARMUP exchanges at 2500/s" >&2
perf 2500 "$WARMUP" 02:00:00:00:00:00 "$work/warmup.txt"
clients=$((RATE * SECONDS_FIXED))
[ "$JFR" -eq 0 ] || jcmd "$server_pid" JFR.start name=measured settings=profile >/dev/null
threads >"$work/threads-before.txt"
before=$(bench_cpu_ticks "$server_pid")
echo "measuring: $clients exchanges at $RATE/s" >&2
perf_pid=""
if [ "$PERF" -eq 1 ]; then
  command perf record -q -F 997 -p "$server_pid" -o "$work/perf.data" >/dev/null 2>&1 &
  perf_pid=$!
fi
strace_pid=""
if [ "$SYSCALLS" -eq 1 ]; then
  strace -f -c -o "$work/syscalls.txt" -p "$server_pid" 2>/dev/null &
  strace_pid=$!
  sleep 1
fi
perf "$RATE" "$clients" 00:0c:01:00:00:00 "$work/fixed.txt"
if [ -n "$strace_pid" ]; then
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
fi
if [ -n "$perf_pid" ]; then
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
fi
after=$(bench_cpu_ticks "$server_pid")
threads >"$work/threads-after.txt"
if [ "$JFR" -eq 1 ]; then
  jcmd "$server_pid" JFR.stop name=measured filename="$work/node.jfr" >/dev/null
else
  : >"$work/node.jfr"
fi

read -r achieved drops nonunique acks do_avg ra_avg _ <<<"$(bench_perfdhcp_summary "$work/fixed.txt")"
hz=$(getconf CLK_TCK)
: >"$work/samples.txt"; : >"$work/allocations.txt"; : >"$work/gc.txt"
if [ "$JFR" -eq 1 ]; then
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$work/node.jfr" >"$work/samples.txt"
  jfr print --events jdk.ObjectAllocationSample "$work/node.jfr" >"$work/allocations.txt"
  jfr print --events jdk.GarbageCollection "$work/node.jfr" >"$work/gc.txt"
fi

{
  echo "## profile-node.sh: $STORE store, $RATE/s for $SECONDS_FIXED s after $WARMUP warm-up exchanges$([ "$JFR" -eq 1 ] || echo ", no JFR")"
  echo
  echo "Node: $(basename "$jar"); JVM options: ${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC}. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "DORA/s $achieved, drops $drops %, non-unique $nonunique, ACKs $acks, latency DISCOVER-OFFER / REQUEST-ACK $do_avg / $ra_avg ms."
  echo "Node CPU per lease: $(( (after - before) * 1000000 / hz / (acks > 0 ? acks : 1) )) µs ($((after - before)) ticks of 1/$hz s)."
  echo
  python3 - "$work" "$hz" "${acks:-0}" "$TOP" <<'PY'
import collections, re, sys
work, hz, acks, top = sys.argv[1], int(sys.argv[2]), max(1, int(sys.argv[3])), int(sys.argv[4])

def threads(name):
    rows = {}
    for line in open(f"{work}/{name}"):
        parts = line.split()
        if len(parts) == 4:
            rows[parts[0]] = (parts[1], int(parts[2]), int(parts[3]))
    return rows

before, after = threads("threads-before.txt"), threads("threads-after.txt")
groups = collections.defaultdict(lambda: [0, 0])
for tid, (name, user, system) in after.items():
    u0, s0 = before.get(tid, (name, 0, 0))[1:]
    group = re.sub(r"[-#]?\d+$", "", name) or name  # "GC_Thread#0" and "GC_Thread#1" together
    groups[group][0] += user - u0
    groups[group][1] += system - s0
print("### CPU by thread (µs per lease, from /proc/PID/task)\n")
print("| thread | user | system | total |\n| --- | ---: | ---: | ---: |")
for name, (user, system) in sorted(groups.items(), key=lambda g: -sum(g[1])):
    if user + system == 0:
        continue
    us = lambda ticks: ticks * 1_000_000 // hz // acks
    print(f"| {name} | {us(user)} | {us(system)} | {us(user + system)} |")

# jfr print: one "jdk.ExecutionSample {" block per sample, its thread, then stackTrace frames.
samples_by_thread = collections.Counter()
top_frames = collections.Counter()
own_frames = collections.Counter()
sample_count = 0
thread, frames = None, []
def flush():
    global sample_count
    if thread is None:
        return
    sample_count += 1
    samples_by_thread[thread] += 1
    if frames:
        top_frames[(thread, frames[0])] += 1
        own = next((f for f in frames if f.startswith("dev.dhcpcluster")), frames[0])
        own_frames[own] += 1
for line in open(f"{work}/samples.txt"):
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        flush()
        thread, frames = None, []
    elif line.startswith("sampledThread = "):
        thread = re.sub(r'^sampledThread = "(.*)" \(.*$', r"\1", line)
        thread = re.sub(r"[-#]?\d+$", "", thread)
    elif re.match(r"^[\w$.<>/]+\(.*\)\s+line:", line):
        frames.append(re.sub(r"\s+line:.*$", "", line))
flush()
print(f"\n### JFR execution samples by thread ({sample_count} samples of Java code)\n")
print("| thread | samples | share |\n| --- | ---: | ---: |")
for name, n in samples_by_thread.most_common():
    print(f"| {name} | {n} | {100 * n / max(1, sample_count):.1f} % |")
print(f"\n### Hottest methods (top frame), by thread, top {top}\n")
print("| thread | method | samples | share |\n| --- | --- | ---: | ---: |")
for (name, frame), n in top_frames.most_common(top):
    print(f"| {name} | `{frame}` | {n} | {100 * n / max(1, sample_count):.1f} % |")
print(f"\n### Nearest dhcpcluster frame of each sample, top {top}\n")
print("| frame | samples | share |\n| --- | ---: | ---: |")
for frame, n in own_frames.most_common(top):
    print(f"| `{frame}` | {n} | {100 * n / max(1, sample_count):.1f} % |")

alloc = collections.Counter()
thread = None
for line in open(f"{work}/allocations.txt"):
    line = line.strip()
    if line.startswith("eventThread = "):
        thread = re.sub(r"[-#]?\d+$", "", re.sub(r'^eventThread = "(.*)" \(.*$', r"\1", line))
    elif line.startswith("weight = ") and thread:
        m = re.match(r"weight = ([\d.,]+) (bytes|kB|MB|GB)", line)
        if m:
            alloc[thread] += float(m.group(1).replace(",", "")) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(2)]
print("\n### Allocation by thread (JFR allocation samples, bytes per lease)\n")
print("| thread | bytes per lease |\n| --- | ---: |")
for name, b in alloc.most_common(8):
    print(f"| {name} | {b / acks:,.0f} |")
gcs, pause = 0, 0.0
for line in open(f"{work}/gc.txt"):
    m = re.match(r"\s*sumOfPauses = ([\d.]+) (ms|s|us)", line)
    if m:
        gcs += 1
        pause += float(m.group(1)) * {"ms": 1, "s": 1000, "us": 0.001}[m.group(2)]
print(f"\nGarbage collections during the run: {gcs}, {pause:.1f} ms of pauses in all.")
PY
  if [ "$SYSCALLS" -eq 1 ]; then
    echo
    echo "### System calls per lease (strace -c over the measured run)"
    echo
    echo "| call | per lease | share of the calls' time |"
    echo "| --- | ---: | ---: |"
    awk -v acks="${acks:-1}" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
        printf "| %s | %.2f | %s %% |\n", $NF, $4 / (acks > 0 ? acks : 1), $1 }' "$work/syscalls.txt" | head -n 16
  fi
  if [ "$PERF" -eq 1 ]; then
    echo
    echo "### Linux perf: share of the node's samples by thread and shared object (top $TOP)"
    echo
    echo '```'
    command perf report -i "$work/perf.data" --no-children --sort comm,dso --stdio 2>/dev/null |
      grep -v '^#' | grep -v '^$' | head -n "$TOP"
    echo
    command perf report -i "$work/perf.data" --no-children --sort sym --stdio 2>/dev/null |
      grep -v '^#' | grep -v '^$' | head -n "$TOP"
    echo '```'
  fi
} | tee "$work/report.md"
