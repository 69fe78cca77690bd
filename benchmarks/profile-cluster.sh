#!/usr/bin/env bash
# Profiles a three-node cluster under perfdhcp at a fixed rate, as vs-kea.sh --cluster drives it
# (the broadcast lab of benchmarks/lib.sh: every node hears every DISCOVER; SQLite stores, each
# ACK after a majority has the lease on disk). After a warm-up it measures, over one run at the
# fixed rate, for each node:
#   - its role (leader or follower) and the leases it bound (its own /status counters);
#   - the TCP segments it sent per lease (its namespace's TcpOutSegs: the peer protocol's frames,
#     as the kernel packs them), and its UDP datagrams sent per lease;
#   - its CPU time per lease of the whole cluster (user + system from /proc, over the ACKs
#     perfdhcp received), by thread (/proc/PID/task/*/stat), user and system apart;
#   - with JFR (the default), the hottest methods by thread (top frame of jdk.ExecutionSample),
#     and the nearest dhcpcluster frame.
#
#   sudo benchmarks/profile-cluster.sh [--rate 1000] [--seconds 15] [--warmup 4000] [--warmup-rate 500] [--top 15]
#                                      [--no-jfr] [--jar FILE] [--keep DIR]
#
# DHCPCLUSTER_JAVA_OPTS sets the nodes' JVM options (by default -XX:+UseSerialGC -Xms512m -Xmx512m,
# as vs-kea.sh runs them); STORE_PARENT (default /var/tmp, a real disk) holds the stores. Needs
# root, perfdhcp, curl, a JDK 17 with jfr and jcmd, and python3. On exit it stops the nodes by
# PID and deletes its namespaces and temporary files.
set -euo pipefail

RATE=1000
SECONDS_FIXED=15
WARMUP=4000
WARMUP_RATE=500
TOP=15
KEEP=""
JFR=1
JAR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_FIXED="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --warmup-rate) WARMUP_RATE="$2"; shift 2 ;;
    --top) TOP="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --no-jfr) JFR=0; shift ;;
    --jar) JAR="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile-cluster.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "profile-cluster.sh: $*" >&2; exit 1; }
for value in "$RATE" "$SECONDS_FIXED" "$WARMUP" "$WARMUP_RATE" "$TOP"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || die "--rate, --seconds, --warmup, --warmup-rate and --top are positive whole numbers, not '$value'"
done
[ $((RATE * SECONDS_FIXED + WARMUP)) -le 120000 ] || die "--rate x --seconds + --warmup must be at most 120000 (the pool's size)"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces)"
for tool in ip perfdhcp java jfr jcmd curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

[ -z "$JAR" ] || JAR=$(realpath "$JAR")
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"
jar=${JAR:-$root/bootstrap/target/dhcpcluster.jar}
[ -n "$JAR" ] || [ -f "$jar" ] || ./mvnw -q -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip -pl bootstrap -am package

lab="pc$$"
work=$(mktemp -d "/tmp/profile-cluster-XXXXXX")
stores=$(mktemp -d "${STORE_PARENT:-/var/tmp}/profile-cluster-XXXXXX")
cleanup() {
  bench_stop_nodes
  bench_delete_namespaces
  if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" && cp -r "$work"/* "$KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$work" "$stores"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_bridge_lab "$lab"
for n in 1 2 3; do bench_bridge_host "$lab" "node$n" "198.18.0.$n/15"; done
bench_bridge_host "$lab" perf "$bench_cluster_relay/15"
BENCH_JAVA_OPTS=${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC -Xms512m -Xmx512m} \
  bench_start_nodes "$lab" 3 "$stores" "$jar" || die "the cluster did not start"

perf() { # rate, clients, mac base, report
  local status=0
  timeout $(($2 / $1 + 60)) ip netns exec "$lab-perf" perfdhcp -4 -r "$1" -R $(($2 * 2)) -n "$2" -p $(($2 / $1 + 30)) \
    -b "mac=$3" -u -l eth0 >"$4" 2>&1 || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { cat "$4" >&2; die "perfdhcp failed with status $status"; }
}

threads() { # node number: "tid name utime stime" per thread
  local pid=${bench_node_pids[$(($1 - 1))]} task name
  for task in /proc/"$pid"/task/*; do
    name=$(tr ' ' '_' <"$task/comm" 2>/dev/null) || continue
    sed 's/^.*) //' "$task/stat" 2>/dev/null | awk -v tid="${task##*/}" -v name="$name" '{ print tid, name, $12, $13 }' || true
  done
}

status() { # node number
  ip netns exec "$lab-node$1" curl -s -m 2 127.0.0.1:9067/status 2>/dev/null || true
}

counters() { # node number: "TcpOutSegs UdpOutDatagrams" of its namespace so far
  ip netns exec "$lab-node$1" nstat -asz TcpOutSegs UdpOutDatagrams 2>/dev/null |
    awk '$1 == "TcpOutSegs" { t = $2 } $1 == "UdpOutDatagrams" { u = $2 } END { print t + 0, u + 0 }'
}

echo "warming up: $WARMUP exchanges at $WARMUP_RATE/s" >&2
perf "$WARMUP_RATE" "$WARMUP" 02:00:00:00:00:00 "$work/warmup.txt"
clients=$((RATE * SECONDS_FIXED))
for n in 1 2 3; do
  status "$n" >"$work/status-before-$n.json"
  counters "$n" >"$work/counters-before-$n.txt"
  [ "$JFR" -eq 0 ] || jcmd "${bench_node_pids[$((n - 1))]}" JFR.start name=measured settings=profile >/dev/null
  threads "$n" >"$work/threads-before-$n.txt"
done
echo "measuring: $clients exchanges at $RATE/s" >&2
perf "$RATE" "$clients" 00:0c:01:00:00:00 "$work/fixed.txt"
for n in 1 2 3; do
  threads "$n" >"$work/threads-after-$n.txt"
  counters "$n" >"$work/counters-after-$n.txt"
  status "$n" >"$work/status-after-$n.json"
  : >"$work/samples-$n.txt"
  if [ "$JFR" -eq 1 ]; then
    jcmd "${bench_node_pids[$((n - 1))]}" JFR.stop name=measured filename="$work/node$n.jfr" >/dev/null
    jfr print --events jdk.ExecutionSample --stack-depth 64 "$work/node$n.jfr" >"$work/samples-$n.txt"
  fi
done

read -r achieved drops nonunique acks do_avg ra_avg _ <<<"$(bench_perfdhcp_summary "$work/fixed.txt")"
{
  echo "## profile-cluster.sh: 3 nodes (SQLite), $RATE/s for $SECONDS_FIXED s after $WARMUP warm-up exchanges at $WARMUP_RATE/s$([ "$JFR" -eq 1 ] || echo ", no JFR")"
  echo
  echo "Node: $(basename "$jar"); JVM options: ${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC -Xms512m -Xmx512m}. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "DORA/s $achieved, drops $drops %, non-unique $nonunique, ACKs $acks, latency DISCOVER-OFFER / REQUEST-ACK $do_avg / $ra_avg ms."
  echo
  python3 - "$work" "$(getconf CLK_TCK)" "${acks:-0}" "$TOP" <<'PY'
import collections, json, re, sys
work, hz, acks, top = sys.argv[1], int(sys.argv[2]), max(1, int(sys.argv[3])), int(sys.argv[4])
us = lambda ticks: ticks * 1_000_000 / hz / acks

def threads(name):
    rows = {}
    for line in open(f"{work}/{name}"):
        parts = line.split()
        if len(parts) == 4:
            rows[parts[0]] = (parts[1], int(parts[2]), int(parts[3]))
    return rows

def group_of(name):
    return re.sub(r"[-#]?\d+$", "", name) or name  # "GC_Thread#0" and "GC_Thread#1" together

def status(name):
    try:
        return json.load(open(f"{work}/{name}"))
    except (OSError, ValueError):
        return {}

def bound(s):
    return s.get("traffic", {}).get("leases-bound", 0)

per_node, names = {}, set()
summary = []
for n in (1, 2, 3):
    before, after = threads(f"threads-before-{n}.txt"), threads(f"threads-after-{n}.txt")
    groups = collections.defaultdict(lambda: [0, 0])
    for tid, (name, user, system) in after.items():
        u0, s0 = before.get(tid, (name, 0, 0))[1:]
        groups[group_of(name)][0] += user - u0
        groups[group_of(name)][1] += system - s0
    per_node[n] = groups
    names.update(g for g, (u, s) in groups.items() if u + s > 0)
    s0, s1 = status(f"status-before-{n}.json"), status(f"status-after-{n}.json")
    role = s1.get("cluster", {}).get("role", "?")
    c0 = [int(x) for x in open(f"{work}/counters-before-{n}.txt").read().split()]
    c1 = [int(x) for x in open(f"{work}/counters-after-{n}.txt").read().split()]
    summary.append((n, role, bound(s1) - bound(s0), sum(u + s for u, s in groups.values()), c1[0] - c0[0], c1[1] - c0[1]))

print("### The nodes (CPU in µs per lease of the whole cluster)\n")
print("| node | role | leases it bound | TCP segments sent per lease | UDP datagrams sent per lease | user | system | total |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
total = segments = 0
for n, role, leases, ticks, tcp, udp in summary:
    u = sum(v[0] for v in per_node[n].values()); s = sum(v[1] for v in per_node[n].values())
    total += ticks
    segments += tcp
    print(f"| node{n} | {role} | {leases} | {tcp / acks:.2f} | {udp / acks:.2f} | {us(u):.0f} | {us(s):.0f} | {us(ticks):.0f} |")
print(f"| all | | | {segments / acks:.2f} | | | | **{us(total):.0f}** |")

print("\n### CPU by thread and node (µs per lease of the whole cluster, user / system)\n")
print("| thread | node1 | node2 | node3 | all three |\n| --- | ---: | ---: | ---: | ---: |")
order = sorted(names, key=lambda g: -sum(sum(per_node[n].get(g, (0, 0))) for n in (1, 2, 3)))
for g in order:
    cells, all3 = [], 0
    for n in (1, 2, 3):
        u, s = per_node[n].get(g, (0, 0))
        all3 += u + s
        cells.append(f"{us(u + s):.0f} ({us(u):.0f} / {us(s):.0f})")
    if us(all3) >= 0.5:
        print(f"| {g} | " + " | ".join(cells) + f" | {us(all3):.0f} |")

for n in (1, 2, 3):
    samples_by_thread, top_frames, own_frames = collections.Counter(), collections.Counter(), collections.Counter()
    count, thread, frames = 0, None, []
    def flush():
        global count
        if thread is None:
            return
        count += 1
        samples_by_thread[thread] += 1
        if frames:
            top_frames[(thread, frames[0])] += 1
            own_frames[next((f for f in frames if f.startswith("dev.dhcpcluster")), frames[0])] += 1
    for line in open(f"{work}/samples-{n}.txt"):
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            flush()
            thread, frames = None, []
        elif line.startswith("sampledThread = "):
            thread = group_of(re.sub(r'^sampledThread = "(.*)" \(.*$', r"\1", line))
        elif re.match(r"^[\w$.<>/]+\(.*\)\s+line:", line):
            frames.append(re.sub(r"\s+line:.*$", "", line))
    flush()
    if count == 0:
        continue
    print(f"\n### node{n}: JFR samples ({count} of Java code)\n")
    print("By thread: " + ", ".join(f"{t} {100 * c / count:.0f} %" for t, c in samples_by_thread.most_common(8)) + ".\n")
    print("| thread | hottest method (top frame) | share |\n| --- | --- | ---: |")
    for (t, f), c in top_frames.most_common(top):
        print(f"| {t} | `{f}` | {100 * c / count:.1f} % |")
    print("\n| nearest dhcpcluster frame | share |\n| --- | ---: |")
    for f, c in own_frames.most_common(top):
        print(f"| `{f}` | {100 * c / count:.1f} % |")
PY
} | tee "$work/report.md"
