#!/usr/bin/env bash
# dhcpcluster beside ISC Kea on one machine, in one run: the comparison anyone can rerun.
#
# It measures, one at a time and each in the same network namespaces (the relayed lab of
# benchmarks/lib.sh: perfdhcp relays from 198.19.0.1 to the server at 198.18.0.1):
#   - Kea (Debian's kea-dhcp4-server), memfile lease file in a temporary directory, single-threaded
#     and multi-threaded (4 threads, packet queue 28, Kea's advice for memfile); the better of the
#     two on this machine (the higher highest rate, then the lower CPU per lease) is the one the
#     summary compares with;
#   - one dhcpcluster node with its SQLite store (fsync before every ACK), and one with the
#     memory store (bootstrap/target/dhcpcluster.jar, built if missing).
# For each:
#   - the highest rate with under 1 % drops: perfdhcp -r at each rate of the steps, a fresh server
#     each time, until one fails (--tries runs in a row); then the gap to the failing rate is
#     halved (--refine times);
#   - at a fixed rate that every server should sustain (--fixed-rate): perfdhcp's DORA rate,
#     drops, average latency of DISCOVER-OFFER and REQUEST-ACK, and the server's CPU time per
#     lease (user + system of the server process from /proc/PID/stat before and after, over the
#     ACKs perfdhcp received);
#   - the non-unique addresses perfdhcp saw, over all its runs.
# Every measured run gets a fresh server (empty lease table and store), warmed up first with
# clients of other hardware addresses, whose results are not counted.
#
# Usage (as root, from anywhere):
#   benchmarks/vs-kea.sh [--quick] [--rates "R1 R2 ..."] [--fixed-rate R] [--duration S]
#                        [--refine N] [--tries N] [--markdown FILE]
#   --quick        a short run (about 3 minutes): 3 s per step, 5 s at the fixed rate, one refinement
#   --rates        rates per second to step through  (default "1000 2000 4000 6000 8000 10000 12000
#                  16000 20000"; quick "1000 2000 4000 8000 16000")
#   --fixed-rate   the rate of the CPU-per-lease run (default 2000)
#   --duration     seconds per step (default 8; quick 3); at most 54,000 clients per run (quick 59,000)
#   --refine       halvings between the last rate passed and the first failed (default 2; quick 1)
#   --tries        runs at one rate before it counts as failed (default 2): on a shared machine one
#                  disturbed run should not end the search
#   --markdown     append the Markdown section (machine, table) to FILE instead of printing it
# Environment: STORE_PARENT (default /var/tmp, on disk where /tmp may be a tmpfs: fsync must reach a
# device) holds the SQLite stores; DHCPCLUSTER_JAVA_OPTS sets the nodes' JVM options (by default
# -XX:+UseSerialGC, as the dhcpcluster command and the systemd unit run a node).
#
# If kea-dhcp4 or perfdhcp is missing it installs kea-dhcp4-server and kea-admin with apt-get,
# keeping their maintainer scripts from starting the system's Kea (policy-rc.d), and stops and
# disables that service after. The only Kea it runs is its own, in its namespace, stopped by PID.
# On exit it stops what it started (by PID) and deletes its namespaces and temporary files.
set -euo pipefail

QUICK=0
RATES=""
FIXED_RATE=2000
DURATION=""
REFINE=""
TRIES=2
MARKDOWN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rates) RATES="$2"; shift 2 ;;
    --fixed-rate) FIXED_RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --refine) REFINE="$2"; shift 2 ;;
    --tries) TRIES="$2"; shift 2 ;;
    --markdown) MARKDOWN="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "vs-kea.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" -eq 1 ]; then
  RATES=${RATES:-"1000 2000 4000 8000 16000"}; DURATION=${DURATION:-3}; REFINE=${REFINE:-1}
  FIXED_SECONDS=5; WARMUP=5000
else
  RATES=${RATES:-"1000 2000 4000 6000 8000 10000 12000 16000 20000"}; DURATION=${DURATION:-8}
  REFINE=${REFINE:-2}; FIXED_SECONDS=15; WARMUP=10000
fi
WARMUP_RATE=2500
STORE_PARENT=${STORE_PARENT:-/var/tmp}
MAX_CLIENTS=$((64000 - WARMUP)) # the pool holds 65,001 addresses; the warm-up's clients take some

die() { echo "vs-kea.sh: $*" >&2; exit 1; }
number() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive whole number, not '$2'"; }
for rate in $RATES; do number "--rates" "$rate"; done
number "--fixed-rate" "$FIXED_RATE"; number "--duration" "$DURATION"; number "--tries" "$TRIES"
[[ "$REFINE" =~ ^[0-9]+$ ]] || die "--refine must be a whole number, not '$REFINE'"
[ $((FIXED_RATE * FIXED_SECONDS)) -le "$MAX_CLIENTS" ] || die "--fixed-rate must be at most $((MAX_CLIENTS / FIXED_SECONDS))"
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces and may install Kea)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"
command -v java >/dev/null || die "java (a JDK 17) is not installed"

cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"
jar="$root/bootstrap/target/dhcpcluster.jar"

# Installs Kea and perfdhcp from Debian if either is missing, without a system Kea left running.
install_kea() {
  command -v kea-dhcp4 >/dev/null && command -v perfdhcp >/dev/null && return 0
  command -v apt-get >/dev/null || die "kea-dhcp4 or perfdhcp is missing and there is no apt-get to install them"
  echo "installing kea-dhcp4-server and kea-admin with apt-get"
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    # 101: "action forbidden": the packages' maintainer scripts do not start the service.
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q kea-dhcp4-server kea-admin || status=$?
  [ "$made_policy" -eq 0 ] || rm -f "$policy"
  [ "$status" -eq 0 ] || die "apt-get install kea-dhcp4-server kea-admin failed ($status)"
  if [ -d /run/systemd/system ]; then
    systemctl stop kea-dhcp4-server.service 2>/dev/null || true
    systemctl disable kea-dhcp4-server.service 2>/dev/null || true
  elif [ -x /etc/init.d/kea-dhcp4-server ]; then
    /etc/init.d/kea-dhcp4-server stop 2>/dev/null || true
    update-rc.d kea-dhcp4-server disable 2>/dev/null || true
  fi
  if ! command -v kea-dhcp4 >/dev/null || ! command -v perfdhcp >/dev/null; then
    die "kea-dhcp4 or perfdhcp still missing after apt-get"
  fi
}
install_kea

if [ ! -f "$jar" ]; then
  echo "building $jar"
  ./dhcpcluster --help >/dev/null
fi

id="vskea-$$"
work=$(mktemp -d "/tmp/$id-XXXXXX")
stores=$(mktemp -d "$STORE_PARENT/$id-XXXXXX")
server_pid=""
cleanup() {
  bench_stop_pid "$server_pid"
  bench_delete_namespaces
  rm -rf "$work" "$stores"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_relay_lab "$id"
server_ns="$id-server"
perf_ns="$id-perf"

pool_first=198.19.0.10
pool_last=198.19.255.250
subnet="\"subnet4\": [ { \"id\": 1, \"subnet\": \"198.19.0.0/16\", \"pools\": [ { \"pool\": \"$pool_first - $pool_last\" } ],
                   \"option-data\": [ { \"name\": \"routers\", \"data\": \"198.19.0.1\" } ] } ]"

# Kea's file: $1 is "single" or "multi", $2 the lease file.
kea_config() {
  local mt='"enable-multi-threading": false'
  [ "$1" = multi ] && mt='"enable-multi-threading": true, "thread-pool-size": 4, "packet-queue-size": 28'
  cat <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ] },
    "lease-database": { "type": "memfile", "persist": true, "name": "$2", "lfc-interval": 0 },
    "multi-threading": { $mt },
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    $subnet,
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "WARN" } ]
  }
}
JSON
}

# The node's file: $1 is "sqlite" or "memory", $2 its data directory.
node_config() {
  cat <<JSON
{
  "node": { "id": 1, "data-directory": "$2" },
  "transport": { "type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0", "client-port": 68, "relay-port": 67 },
  "lease-store": { "type": "$1" },
  "Dhcp4": {
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    $subnet
  }
}
JSON
}

servers=(kea-single kea-multi dhcpcluster-sqlite dhcpcluster-memory)
declare -A label=(
  [kea-single]="Kea, single-threaded"
  [kea-multi]="Kea, multi-threaded (4 threads, queue 28)"
  [dhcpcluster-sqlite]="dhcpcluster, SQLite (fsync before ACK)"
  [dhcpcluster-memory]="dhcpcluster, memory store")
run_number=0

# Starts a fresh server $1 in its namespace and waits until it listens; sets server_pid.
start_server() {
  local name=$1 dir
  run_number=$((run_number + 1))
  dir="$stores/$name-$run_number"
  mkdir -p "$dir"
  log="$work/$name-$run_number.log"
  case "$name" in
    kea-*)
      kea_config "${name#kea-}" "$dir/kea-leases4.csv" >"$work/$name-$run_number.json"
      KEA_PIDFILE_DIR="$dir" KEA_LOCKFILE_DIR="$dir" \
        ip netns exec "$server_ns" kea-dhcp4 -c "$work/$name-$run_number.json" >"$log" 2>&1 &
      ;;
    dhcpcluster-*)
      node_config "${name#dhcpcluster-}" "$dir" >"$work/$name-$run_number.json"
      # shellcheck disable=SC2086 # the options are words
      ip netns exec "$server_ns" java ${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" run \
        --config "$work/$name-$run_number.json" >"$log" 2>&1 &
      ;;
  esac
  server_pid=$!
  bench_await_port_67 "$server_ns" "$server_pid" "$log" || die "$name did not start"
}

stop_server() {
  bench_stop_pid "$server_pid"
  server_pid=""
  rm -rf "$stores/$1-$run_number"
}

# perfdhcp at rate $1 for $2 new clients with hardware address base $3; report into file $4.
perfdhcp_run() {
  local rate=$1 clients=$2 base=$3 out=$4 status=0
  timeout $((clients / rate + 60)) ip netns exec "$perf_ns" perfdhcp -4 -r "$rate" -R "$clients" -n "$clients" \
    -p $((clients / rate + 30)) -b "mac=$base" -u -l 198.19.0.1 198.18.0.1 >"$out" 2>&1 || status=$?
  # perfdhcp exits with 3 when packets were dropped; the report says how many.
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$out" >&2
    die "perfdhcp failed with status $status"
  fi
}

# One measured run of a fresh server $1 at rate $2 for $3 clients: sets result to the summary of
# bench_perfdhcp_summary followed by the server's CPU ticks during the run, and adds its
# non-unique addresses to the server's total. (Not in a subshell: the EXIT trap must know the
# server's PID.)
measured_run() {
  local name=$1 rate=$2 clients=$3 out before after summary nonunique
  start_server "$name"
  perfdhcp_run "$WARMUP_RATE" "$WARMUP" 02:00:00:00:00:00 "$work/warmup.txt"
  out="$work/$name-$run_number-$rate.txt"
  before=$(bench_cpu_ticks "$server_pid")
  perfdhcp_run "$rate" "$clients" 00:0c:01:00:00:00 "$out"
  after=$(bench_cpu_ticks "$server_pid")
  summary=$(bench_perfdhcp_summary "$out")
  stop_server "$name"
  result="$summary $((after - before))"
  read -r _ _ nonunique _ <<<"$result"
  nonunique_total[$name]=$((nonunique_total[$name] + nonunique))
  echo "  $rate/s: $result" >&2
}

# Whether server $1 passes rate $2 (under 1 % drops) in one of TRIES runs: a run that another
# process on the machine disturbed does not end the search on its own.
passes_rate() {
  local try
  for ((try = 1; try <= TRIES; try++)); do
    measured_run "$1" "$2" "$(clients_at "$2")"
    awk '{ exit !($2 < 1) }' <<<"$result" && return 0
  done
  return 1
}

clients_at() { local c=$(($1 * DURATION)); echo $((c < MAX_CLIENTS ? c : MAX_CLIENTS)); }

declare -A best fixed nonunique_total
hz=$(getconf CLK_TCK)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
# Other work on the machine takes CPU from the servers and perfdhcp: the report shows the load.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${servers[@]}"; do
  echo "measuring ${label[$name]}" >&2
  nonunique_total[$name]=0
  echo "  the fixed rate:" >&2
  measured_run "$name" "$FIXED_RATE" $((FIXED_RATE * FIXED_SECONDS))
  fixed[$name]=$result
  echo "  the steps:" >&2
  passed=0; failed=0
  for rate in $RATES; do
    if passes_rate "$name" "$rate"; then passed=$rate; else failed=$rate; break; fi
  done
  for ((i = 0; i < REFINE && failed > 0 && failed - passed > 100; i++)); do
    rate=$(((passed + failed) / 2))
    if passes_rate "$name" "$rate"; then passed=$rate; else failed=$rate; fi
  done
  # No failure: the highest rate is at least the last step's.
  best[$name]=$passed
  [ "$failed" -eq 0 ] && best[$name]=">= $passed"
done

# CPU time per lease in microseconds at the fixed rate.
cpu_us() {
  local acks ticks
  read -r _ _ _ acks _ _ _ _ _ ticks <<<"${fixed[$1]}"
  if [ "$acks" -gt 0 ]; then echo $((ticks * 1000000 / hz / acks)); else echo "-"; fi
}
rate_of() { local b=${best[$1]}; echo "${b#>= }"; }

kea="kea-single"
single=$(rate_of kea-single); multi=$(rate_of kea-multi)
if [ "$multi" -gt "$single" ] || { [ "$multi" -eq "$single" ] && [ "$(cpu_us kea-multi)" != "-" ] &&
  [ "$(cpu_us kea-single)" != "-" ] && [ "$(cpu_us kea-multi)" -lt "$(cpu_us kea-single)" ]; }; then
  kea="kea-multi"
fi

table() {
  echo "| server | highest rate under 1 % drops (/s) | DORA/s at $FIXED_RATE/s | drops at $FIXED_RATE/s | latency DISCOVER-OFFER / REQUEST-ACK, avg (ms) | non-unique addresses | server CPU per lease (µs) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  local name achieved drops do_avg ra_avg mark
  for name in "${servers[@]}"; do
    read -r achieved drops _ _ do_avg ra_avg _ _ _ _ <<<"${fixed[$name]}"
    mark=""; [ "$name" = "$kea" ] && mark="; Kea's best here"
    printf '| %s%s | %s | %.0f | %s %% | %s / %s | %s | %s |\n' "${label[$name]}" "$mark" "${best[$name]}" \
      "$achieved" "$drops" "$do_avg" "$ra_avg" "${nonunique_total[$name]}" "$(cpu_us "$name")"
  done
}

ratios() {
  local name k c
  k=$(cpu_us "$kea")
  for name in dhcpcluster-sqlite dhcpcluster-memory; do
    c=$(cpu_us "$name")
    target=""; [ "$name" = dhcpcluster-sqlite ] && target=" (target: at most 0.33 and at least 1)"
    awk -v l="${label[$name]}" -v c="$c" -v k="$k" -v r="$(rate_of "$name")" -v kr="$(rate_of "$kea")" -v t="$target" 'BEGIN {
      printf "- %s: CPU per lease %s times Kea'\''s, highest rate %s times Kea'\''s%s\n", l,
        (c != "-" && k != "-" && k > 0 ? sprintf("%.2f", c / k) : "-"), (kr > 0 ? sprintf("%.2f", r / kr) : "-"), t }'
  done
  local failing=""
  for name in "${servers[@]}"; do
    awk '{ exit !($2 >= 1) }' <<<"${fixed[$name]}" && failing+="${failing:+, }${label[$name]}"
  done
  if [ -n "$failing" ]; then
    echo "- Not sustained at the fixed rate ($FIXED_RATE/s, 1 % drops or more): $failing; its CPU per lease is over the leases it granted."
  fi
}

machine() {
  local cpu os
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  echo "$(nproc) CPUs ($cpu), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) of memory, $os, Linux $(uname -r);" \
    "$(java -version 2>&1 | head -1); Kea $(kea-dhcp4 -v 2>/dev/null | head -1); SQLite stores on $(stat -f -c %T "$stores") ($STORE_PARENT)." \
    "Load average (1, 5, 15 min) at the start: $load_before; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
}

mode="full"; [ "$QUICK" -eq 1 ] && mode="quick"
echo
table
echo
ratios
section=$(
  echo "### benchmarks/vs-kea.sh, $started ($mode mode)"
  echo
  echo "Machine: $(machine)"
  echo
  echo "\`benchmarks/vs-kea.sh$([ "$QUICK" -eq 1 ] && echo " --quick")\`: perfdhcp relaying, one exchange per new client; rates stepped through $RATES/s ($DURATION s each, at most $MAX_CLIENTS clients) and refined $REFINE time(s), $TRIES run(s) before a rate counts as failed; fixed rate $FIXED_RATE/s for $FIXED_SECONDS s; every run on a fresh server after $WARMUP warm-up exchanges. Kea: memfile lease file (no fsync), the better of single- and multi-threaded marked. CPU per lease: user + system time of the server process over the ACKs received at the fixed rate."
  echo
  table
  echo
  ratios
)
if [ -n "$MARKDOWN" ]; then
  printf '\n%s\n' "$section" >>"$MARKDOWN"
  echo
  echo "Markdown section appended to $MARKDOWN"
else
  echo
  echo "Markdown for benchmarks/RESULTS.md:"
  echo
  echo "$section"
fi
