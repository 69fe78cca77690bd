#!/usr/bin/env bash
# Measures a dhcpcluster node with ISC perfdhcp, with its durable SQLite lease store and with the
# in-memory store, and, if kea-dhcp4 is installed, ISC Kea on the same setup in the same run, and
# prints the results side by side.
#
# The setup is built from network namespaces (a bridge, a server host 198.18.0.1 and a perfdhcp
# host 198.18.0.3 that relays from 198.19.0.1), with addresses from 198.18.0.0/15 only. Everything
# started is stopped by PID and every namespace deleted on exit. Needs root, iproute2, kea-admin
# (perfdhcp) and a JDK.
#
# Settings (environment variables):
#   RATES     space-separated exchange rates per second to try     (default "1000 2000 4000")
#   CLIENTS   simulated clients per run, each doing one DORA        (default 10000, at most 50000)
#   WARMUP    exchanges of other clients, at WARMUP_RATE per second, before each measured run; their
#             results are not counted                               (default 10000; 0: none)
#   WARMUP_RATE                                                     (default 2000)
#   PERIOD    upper bound of one perfdhcp run in seconds            (default 30)
#   REPEAT    runs of each server at each rate; the median is shown (default 1)
#   SERVERS   which servers to measure                              (default
#             "dhcpcluster-sqlite dhcpcluster-memory kea"; "dhcpcluster" is dhcpcluster-sqlite,
#             the node's default store)
#   SERVER_CPUS, PERFDHCP_CPUS  CPU lists (taskset -c) for the server and for perfdhcp, so that they
#             do not take each other's CPUs, e.g. SERVER_CPUS=1 PERFDHCP_CPUS=0  (default: unpinned)
#   STORE_PARENT  where the SQLite store's directory is created     (default /var/tmp, which is
#             on disk where /tmp may be a tmpfs: fsync must reach a real device to mean anything)
#   DHCPCLUSTER_JAR  the node's runnable jar         (default bootstrap/target/dhcpcluster.jar)
#   DHCPCLUSTER_JAVA_OPTS  the node's JVM options    (default -XX:+UseSerialGC, as the dhcpcluster
#             command and the systemd unit run a node; set it, even empty, to choose)
#   DHCP_QUEUE  the node's node.dhcp-queue object, e.g. '{ "capacity": 512, "max-age-ms": 500 }'
#             (default: none, the node's defaults)
#
# Past saturation: `scripts/perfdhcp.sh --saturation PEAK` offers PEAK and twice PEAK exchanges per
# second (RATES is then "PEAK 2xPEAK"), REPEAT defaults to 2 and SERVERS to the two nodes, and it
# reports, for each server, the DORA rate served at each run of each point, the served rate at 2x
# as a share of the rate at 1x (medians; the target is at least 90 %), and the datagrams each node
# shed in its DHCP queue (from its /metrics, by class and reason). PEAK is the highest rate the
# server sustains (benchmarks/vs-kea.sh measures it); CLIENTS should be large enough for the 2x run
# to last a few seconds (e.g. CLIENTS=50000 WARMUP=10000).
set -euo pipefail

DHCP_QUEUE=${DHCP_QUEUE:-}
SATURATION=""
while [ $# -gt 0 ]; do
  case "$1" in
    --saturation) SATURATION="${2:-}"; shift 2 || { echo "perfdhcp.sh: --saturation needs a rate" >&2; exit 2; } ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "perfdhcp.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$SATURATION" ]; then
  [[ "$SATURATION" =~ ^[1-9][0-9]*$ ]] || { echo "perfdhcp.sh: --saturation must be a positive rate, not '$SATURATION'" >&2; exit 2; }
  RATES="$SATURATION $((2 * SATURATION))"
  REPEAT=${REPEAT:-2}
  SERVERS=${SERVERS:-"dhcpcluster-sqlite dhcpcluster-memory"}
fi

RATES=${RATES:-"1000 2000 4000"}
CLIENTS=${CLIENTS:-10000}
WARMUP=${WARMUP:-10000}
WARMUP_RATE=${WARMUP_RATE:-2000}
PERIOD=${PERIOD:-30}
REPEAT=${REPEAT:-1}
SERVERS=${SERVERS:-"dhcpcluster-sqlite dhcpcluster-memory kea"}
STORE_PARENT=${STORE_PARENT:-/var/tmp}
SERVER_CPUS=${SERVER_CPUS:-}
PERFDHCP_CPUS=${PERFDHCP_CPUS:-}
# Prefixes that pin a command to CPUs, or nothing.
server_pin=(); [ -z "$SERVER_CPUS" ] || server_pin=(taskset -c "$SERVER_CPUS")
perfdhcp_pin=(); [ -z "$PERFDHCP_CPUS" ] || perfdhcp_pin=(taskset -c "$PERFDHCP_CPUS")

cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"
jar=${DHCPCLUSTER_JAR:-"$root/bootstrap/target/dhcpcluster.jar"}

die() { echo "perfdhcp.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"
command -v perfdhcp >/dev/null || die "perfdhcp (kea-admin) is not installed"
[ "$CLIENTS" -le 50000 ] || die "CLIENTS must be at most 50000"
[ $((CLIENTS + WARMUP)) -le 65000 ] || die "CLIENTS + WARMUP must be at most 65000 (the pool size)"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive number"

servers=()
for name in $SERVERS; do
  case "$name" in
    dhcpcluster | dhcpcluster-sqlite) servers+=(dhcpcluster-sqlite) ;;
    dhcpcluster-memory) servers+=(dhcpcluster-memory) ;;
    kea)
      if command -v kea-dhcp4 >/dev/null; then
        servers+=(kea)
      else
        echo "kea-dhcp4 is not installed (Debian: kea-dhcp4-server); measuring without Kea"
      fi ;;
    *) die "unknown server '$name' in SERVERS (known: dhcpcluster-sqlite dhcpcluster-memory dhcpcluster kea)" ;;
  esac
done
[ "${#servers[@]}" -gt 0 ] || die "no server to measure"

if [[ " ${servers[*]} " == *" dhcpcluster-"* ]] && [ ! -f "$jar" ]; then
  echo "building $jar"
  ./mvnw -q -pl bootstrap -am package -DskipTests
fi

id="dcbench-$$-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
work=$(mktemp -d "/tmp/$id-XXXXXX")
stores=$(mktemp -d "$STORE_PARENT/$id-XXXXXX")
server_pid=""

stop_server() {
  bench_stop_pid "$server_pid"
  server_pid=""
}

cleanup() {
  stop_server
  bench_delete_namespaces
  rm -rf "$work" "$stores"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# perfdhcp relays from 198.19.0.1; the server answers that giaddr through the perfdhcp host.
bench_relay_lab "$id"
server="$id-server"; perf="$id-perf"

await_port_67() {
  bench_await_port_67 "$server" "$server_pid" "$2" || die "$1 did not start"
}

# CPU seconds (user + system, all threads) process $1 has used so far: start-up included, so
# compare servers of one kind, not a server with itself at another rate.
cpu_seconds() {
  awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / ticks }' "/proc/$1/stat"
}

# Brings a fresh server to its steady state before it is measured (a JVM compiles its hot code in
# the first seconds): WARMUP exchanges of clients with other hardware addresses (base 02:00:00...,
# where the measured clients have perfdhcp's default 00:0c:01...), results ignored.
warm_up() {
  local status=0
  [ "$WARMUP" -gt 0 ] || return 0
  timeout $((PERIOD + 30)) ip netns exec "$perf" "${perfdhcp_pin[@]}" perfdhcp -4 -r "$WARMUP_RATE" -R "$WARMUP" -n "$WARMUP" \
    -p "$PERIOD" -b mac=02:00:00:00:00:00 -l 198.19.0.1 198.18.0.1 >"$work/warmup-$1.txt" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$work/warmup-$1.txt" >&2
    die "perfdhcp failed with status $status warming up $1"
  fi
}

# Runs perfdhcp at rate $1 and prints "rate achieved drops% nonunique". -R is twice -n: perfdhcp
# numbers its clients modulo -R and may send a few DISCOVERs past -n, which would otherwise wrap
# round to clients that already hold an address, and count their offers as non-unique.
measure() {
  local rate=$1 out="$work/perfdhcp-$2-$1.txt" status=0
  timeout $((PERIOD + 30)) ip netns exec "$perf" "${perfdhcp_pin[@]}" perfdhcp -4 -r "$rate" -R $((CLIENTS * 2)) -n "$CLIENTS" \
    -p "$PERIOD" -u -l 198.19.0.1 198.18.0.1 >"$out" 2>&1 || status=$?
  # perfdhcp's receiving thread can stamp a reply before its sending thread stamps the request
  # (multi-thread mode, a loaded machine), and then it stops: the run is made again.
  if [ "$status" -eq 1 ] && grep -q "timestamp must not be greater" "$out"; then
    echo "perfdhcp stopped on its own timestamp race against $2; running again" >&2
    echo "again"
    return 0
  fi
  # perfdhcp exits with 3 when packets were dropped; the report says how many.
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$out" >&2
    die "perfdhcp failed with status $status against $2"
  fi
  local achieved drops nonunique
  read -r achieved drops nonunique _ <<<"$(bench_perfdhcp_summary "$out")"
  echo "$rate $achieved $drops $nonunique"
}

pool_first=198.19.0.10
pool_last=198.19.255.250

# The node's file for store type $1 (sqlite: a fresh data directory $2; memory: none).
node_config() {
  local store
  if [ "$1" = sqlite ]; then
    store='{ "type": "sqlite" }'
  else
    store='{ "type": "memory" }'
  fi
  cat <<JSON
{
  "node": { "id": 1, "data-directory": "$2"${DHCP_QUEUE:+, \"dhcp-queue\": $DHCP_QUEUE} },
  "transport": { "type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0", "client-port": 68, "relay-port": 67 },
  "lease-store": $store,
  "Dhcp4": {
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "subnet4": [ { "id": 1, "subnet": "198.19.0.0/16", "pools": [ { "pool": "$pool_first - $pool_last" } ],
                   "option-data": [ { "name": "routers", "data": "198.19.0.1" } ] } ]
  }
}
JSON
}

cat >"$work/kea.json" <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ] },
    "lease-database": { "type": "memfile", "persist": false },
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "subnet4": [ { "id": 1, "subnet": "198.19.0.0/16", "pools": [ { "pool": "$pool_first - $pool_last" } ],
                   "option-data": [ { "name": "routers", "data": "198.19.0.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "WARN" } ]
  }
}
JSON

# Each run gets a fresh server, so it starts with an empty lease table (and store). With REPEAT,
# the servers take turns, run after run, so that a disturbance of the machine hits them alike.
declare -A results store_lines cpu shed_lines kernel_drops

# Datagrams the kernel dropped in the server's namespace because a UDP socket's receive buffer was
# full (RcvbufErrors): lost before the node could see, let alone classify, them.
rcvbuf_errors() {
  ip netns exec "$server" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp
}

for ((run = 1; run <= REPEAT; run++)); do
  for rate in $RATES; do
    for name in "${servers[@]}"; do
      key="$name,$rate,$run"
      log="$work/$name-$rate-$run.log"
      for attempt in 1 2 3; do
        case "$name" in
          dhcpcluster-*)
            store=${name#dhcpcluster-}
            node_config "$store" "$stores/$name-$rate-$run" >"$work/$name-$rate-$run.json"
            # shellcheck disable=SC2086 # the options are words
            ip netns exec "$server" "${server_pin[@]}" java ${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" run --config "$work/$name-$rate-$run.json" >"$log" 2>&1 &
            ;;
          kea)
            KEA_PIDFILE_DIR="$work" KEA_LOCKFILE_DIR="$work" \
              ip netns exec "$server" "${server_pin[@]}" kea-dhcp4 -c "$work/kea.json" >"$log" 2>&1 &
            ;;
        esac
        server_pid=$!
        await_port_67 "$name" "$log"
        warm_up "$name-$rate-$run"
        drops_before=$(rcvbuf_errors)
        results["$key"]=$(measure "$rate" "$name-$run")
        kernel_drops["$key"]=$(($(rcvbuf_errors) - drops_before))
        if [ "${results["$key"]}" = again ]; then
          stop_server
          rm -rf "$stores/$name-$rate-$run"
          [ "$attempt" -lt 3 ] || die "perfdhcp stopped on its timestamp race three times against $name"
          continue
        fi
        cpu["$key"]=$(cpu_seconds "$server_pid")
        if [[ "$name" == dhcpcluster-* ]]; then
          # What the node shed in its DHCP queue, by class and reason (its admin endpoint's default
          # address, in its namespace); nothing if it cannot be read.
          shed_lines["$key"]=$(ip netns exec "$server" curl -s --max-time 5 http://127.0.0.1:9067/metrics 2>/dev/null |
            awk '/^dhcpcluster_event_loop_datagrams_shed_total/ && $2 > 0 {
              sub(/^dhcpcluster_event_loop_datagrams_shed_total */, ""); printf "%s%s", sep, $0; sep = ", " }' || true)
        fi
        stop_server
        # A node reports its store's commits when it stops: batch sizes and latency explain its rate.
        store_lines["$key"]=$(grep -o 'lease store: .*' "$log" || true)
        rm -rf "$stores/$name-$rate-$run"
        break
      done
    done
  done
done

# The run of $1 at rate $2 with the median achieved rate (the middle one; the lower middle of two).
median_run() {
  local name=$1 rate=$2 run
  for ((run = 1; run <= REPEAT; run++)); do
    read -r _ achieved _ <<<"${results["$name,$rate,$run"]}"
    echo "$achieved $run"
  done | sort -n | awk -v n="$REPEAT" 'NR == int((n + 1) / 2) { print $2 }'
}

echo
echo "perfdhcp: $CLIENTS simulated clients, one relayed DORA exchange each, after $WARMUP warm-up exchanges;" \
  "median of $REPEAT run(s); CPUs: server ${SERVER_CPUS:-any}, perfdhcp ${PERFDHCP_CPUS:-any}${DHCP_QUEUE:+; node.dhcp-queue $DHCP_QUEUE}"
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* ]]; then
  echo "SQLite store under $stores ($(stat -f -c %T "$stores") file system)"
fi
printf '%-20s %10s %11s %7s %11s %8s  %s\n' "server" "offered/s" "achieved/s" "drops%" "non-unique" "cpu-s" \
  "achieved/s of every run"
declare -A median
for rate in $RATES; do
  for name in "${servers[@]}"; do
    run=$(median_run "$name" "$rate")
    median["$name,$rate"]=$run
    read -r _ achieved drops nonunique <<<"${results["$name,$rate,$run"]}"
    all=$(for ((r = 1; r <= REPEAT; r++)); do read -r _ a _ <<<"${results["$name,$rate,$r"]}"; printf '%s ' "$a"; done)
    printf '%-20s %10s %11s %7s %11s %8s  %s\n' "$name" "$rate" "$achieved" "$drops" "$nonunique" \
      "${cpu["$name,$rate,$run"]}" "$all"
  done
done
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* ]]; then
  echo
  echo "dhcpcluster-sqlite, the store's group commits in the median run:"
  for rate in $RATES; do
    echo "  offered $rate/s: ${store_lines["dhcpcluster-sqlite,$rate,${median["dhcpcluster-sqlite,$rate"]}"]#lease store: }"
  done
fi
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* && " ${servers[*]} " == *" dhcpcluster-memory "* ]]; then
  echo
  echo "dhcpcluster, SQLite store as a share of the memory store's achieved rate (medians):"
  for rate in $RATES; do
    read -r _ sqlite _ <<<"${results["dhcpcluster-sqlite,$rate,${median["dhcpcluster-sqlite,$rate"]}"]}"
    read -r _ memory _ <<<"${results["dhcpcluster-memory,$rate,${median["dhcpcluster-memory,$rate"]}"]}"
    awk -v rate="$rate" -v s="$sqlite" -v m="$memory" \
      'BEGIN { printf "  offered %s/s: %.1f %% (%s of %s/s)\n", rate, (m > 0 ? 100 * s / m : 0), s, m }'
  done
fi
if [ -n "$SATURATION" ]; then
  echo
  echo "Past saturation: DORA/s served with $SATURATION/s (1x) and $((2 * SATURATION))/s (2x) offered, every run;" \
    "2x as a share of 1x (medians; target at least 90 %):"
  for name in "${servers[@]}"; do
    served=()
    for rate in $RATES; do
      read -r _ achieved _ <<<"${results["$name,$rate,${median["$name,$rate"]}"]}"
      served+=("$achieved")
      all=$(for ((r = 1; r <= REPEAT; r++)); do read -r _ a d _ <<<"${results["$name,$rate,$r"]}"; printf '%s (%s %% drops) ' "$a" "$d"; done)
      printf '  %-20s offered %6s/s: %s\n' "$name" "$rate" "$all"
      for ((r = 1; r <= REPEAT; r++)); do
        echo "    run $r: shed by the node ${shed_lines["$name,$rate,$r"]:-(none)}; dropped by the kernel (receive buffer full) ${kernel_drops["$name,$rate,$r"]}"
      done
    done
    awk -v n="$name" -v one="${served[0]}" -v two="${served[1]}" 'BEGIN {
      share = one > 0 ? 100 * two / one : 0
      printf "  %-20s 2x served %.1f %% of 1x (%s of %s/s): %s\n", n, share, two, one, (share >= 90 ? "holds" : "below 90 %") }'
  done
fi
