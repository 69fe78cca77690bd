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
# With --cluster it also compares, the same way, Kea's High Availability pair in load-balancing
# mode with a three-node dhcpcluster, both in the broadcast lab of benchmarks/lib.sh (one bridge,
# servers at 198.18.0.1-3, perfdhcp broadcasting from 198.18.0.100, its relay address), so that
# every server hears every DISCOVER:
#   - the pair: two kea-dhcp4 with the HA hook (libdhcp_ha.so, with libdhcp_lease_cmds.so),
#     multi-threaded (--ha-threads threads, packet queue 28) so that the peers talk over HA's own
#     HTTP listener without a Control Agent; each answers the clients its hash gives it, from its
#     own half of the pool, and sends each ACK once its partner has acknowledged the lease; memfile
#     lease files, no fsync. Both servers must report the load-balancing state before a run;
#   - three dhcpcluster nodes with SQLite stores as benchmarks/cluster-perfdhcp.sh runs them: the
#     holder of the client's bucket answers, and each ACK waits until a majority of the three has
#     the lease on disk (fsync);
#   - for each: the highest rate under 1 % drops, latency, non-unique addresses, and the CPU time
#     per lease of all its processes together, at --cluster-fixed-rate; and the ratio of the
#     highest rates (the issue's target: the cluster at least 3 times the pair).
#
# Usage (as root, from anywhere):
#   benchmarks/vs-kea.sh [--quick] [--rates "R1 R2 ..."] [--fixed-rate R] [--duration S]
#                        [--refine N] [--tries N] [--markdown FILE]
#                        [--cluster | --cluster-only] [--cluster-rates "R1 R2 ..."]
#                        [--cluster-fixed-rate R] [--ha-threads N]
#   --quick        a short run (about 3 minutes; 6 more with --cluster): 3 s per step, 5 s at the
#                  fixed rate, one refinement
#   --rates        rates per second to step through  (default "1000 2000 4000 6000 8000 10000 12000
#                  16000 20000"; quick "1000 2000 4000 8000 16000")
#   --fixed-rate   the rate of the CPU-per-lease run (default 2000)
#   --duration     seconds per step (default 8; quick 3); at most 54,000 clients per run (quick 59,000)
#   --refine       halvings between the last rate passed and the first failed (default 2; quick 1)
#   --tries        runs at one rate before it counts as failed (default 2): on a shared machine one
#                  disturbed run should not end the search
#   --markdown     append the Markdown section (machine, table) to FILE instead of printing it
#   --cluster      also compare Kea's HA load-balancing pair with a three-node cluster
#   --cluster-only only that comparison
#   --cluster-rates  the steps of that comparison (default "500 1000 1500 2000 3000 4000 6000
#                  8000"; quick "500 1000 2000 4000 8000")
#   --cluster-fixed-rate  its CPU-per-lease rate (default 1000)
#   --ha-threads   each Kea of the pair: its packet-processing threads (default 4)
# Environment: STORE_PARENT (default /var/tmp, on disk where /tmp may be a tmpfs: fsync must reach a
# device) holds the SQLite stores; DHCPCLUSTER_JAVA_OPTS sets the nodes' JVM options (by default
# -XX:+UseSerialGC, as the dhcpcluster command and the systemd unit run a node, and for the
# cluster's nodes a fixed heap of 512 MB besides).
#
# If kea-dhcp4 or perfdhcp (or, with --cluster, curl) is missing it installs kea-dhcp4-server and
# kea-admin (and curl) with apt-get,
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
SINGLE=1
CLUSTER=0
CLUSTER_RATES=""
CLUSTER_FIXED_RATE=1000
HA_THREADS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rates) RATES="$2"; shift 2 ;;
    --fixed-rate) FIXED_RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --refine) REFINE="$2"; shift 2 ;;
    --tries) TRIES="$2"; shift 2 ;;
    --markdown) MARKDOWN="$2"; shift 2 ;;
    --cluster) CLUSTER=1; shift ;;
    --cluster-only) CLUSTER=1; SINGLE=0; shift ;;
    --cluster-rates) CLUSTER_RATES="$2"; shift 2 ;;
    --cluster-fixed-rate) CLUSTER_FIXED_RATE="$2"; shift 2 ;;
    --ha-threads) HA_THREADS="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "vs-kea.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" -eq 1 ]; then
  RATES=${RATES:-"1000 2000 4000 8000 16000"}; DURATION=${DURATION:-3}; REFINE=${REFINE:-1}
  FIXED_SECONDS=5; WARMUP=5000
  CLUSTER_RATES=${CLUSTER_RATES:-"500 1000 2000 4000 8000"}; CLUSTER_WARMUP=2000
else
  RATES=${RATES:-"1000 2000 4000 6000 8000 10000 12000 16000 20000"}; DURATION=${DURATION:-8}
  REFINE=${REFINE:-2}; FIXED_SECONDS=15; WARMUP=10000
  CLUSTER_RATES=${CLUSTER_RATES:-"500 1000 1500 2000 3000 4000 6000 8000"}; CLUSTER_WARMUP=4000
fi
WARMUP_RATE=2500
# The pair and the cluster are warmed up at a rate both should sustain.
CLUSTER_WARMUP_RATE=500
STORE_PARENT=${STORE_PARENT:-/var/tmp}
MAX_CLIENTS=$((64000 - WARMUP)) # the pool holds 65,001 addresses; the warm-up's clients take some
# The broadcast lab's pool holds 129,023 addresses; each Kea of the pair has about half, and each
# gets about half of the clients.
CLUSTER_MAX_CLIENTS=$((64000 - CLUSTER_WARMUP))

die() { echo "vs-kea.sh: $*" >&2; exit 1; }
number() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive whole number, not '$2'"; }
for rate in $RATES; do number "--rates" "$rate"; done
for rate in $CLUSTER_RATES; do number "--cluster-rates" "$rate"; done
number "--fixed-rate" "$FIXED_RATE"; number "--duration" "$DURATION"; number "--tries" "$TRIES"
number "--cluster-fixed-rate" "$CLUSTER_FIXED_RATE"; number "--ha-threads" "$HA_THREADS"
[[ "$REFINE" =~ ^[0-9]+$ ]] || die "--refine must be a whole number, not '$REFINE'"
[ $((FIXED_RATE * FIXED_SECONDS)) -le "$MAX_CLIENTS" ] || die "--fixed-rate must be at most $((MAX_CLIENTS / FIXED_SECONDS))"
[ $((CLUSTER_FIXED_RATE * FIXED_SECONDS)) -le "$CLUSTER_MAX_CLIENTS" ] ||
  die "--cluster-fixed-rate must be at most $((CLUSTER_MAX_CLIENTS / FIXED_SECONDS))"
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
  local packages="kea-dhcp4-server kea-admin"
  # curl asks the pair for its HA state and the nodes for their grants.
  if [ "$CLUSTER" -eq 1 ] && ! command -v curl >/dev/null; then packages+=" curl"; fi
  command -v kea-dhcp4 >/dev/null && command -v perfdhcp >/dev/null && [ "$packages" = "kea-dhcp4-server kea-admin" ] &&
    return 0
  command -v apt-get >/dev/null || die "kea-dhcp4, perfdhcp or curl is missing and there is no apt-get to install them"
  echo "installing $packages with apt-get"
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    # 101: "action forbidden": the packages' maintainer scripts do not start the service.
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  local status=0
  # shellcheck disable=SC2086 # the packages are words
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $packages || status=$?
  [ "$made_policy" -eq 0 ] || rm -f "$policy"
  [ "$status" -eq 0 ] || die "apt-get install $packages failed ($status)"
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

# Kea's hook libraries for the pair, from kea-dhcp4-server.
kea_hook() {
  local path
  for path in /usr/lib/*/kea/hooks/"$1" /usr/lib/kea/hooks/"$1"; do
    [ -f "$path" ] && { echo "$path"; return 0; }
  done
  die "$1 not found (it comes with kea-dhcp4-server)"
}
if [ "$CLUSTER" -eq 1 ]; then
  ha_hook=$(kea_hook libdhcp_ha.so)
  lease_cmds_hook=$(kea_hook libdhcp_lease_cmds.so)
  command -v curl >/dev/null || die "curl is not installed"
fi

if [ ! -f "$jar" ]; then
  echo "building $jar"
  ./dhcpcluster --help >/dev/null
fi

id="vskea-$$"
work=$(mktemp -d "/tmp/$id-XXXXXX")
stores=$(mktemp -d "$STORE_PARENT/$id-XXXXXX")
server_pids=()
cleanup() {
  bench_stop_pids "${server_pids[@]}" "${bench_node_pids[@]}"
  bench_delete_namespaces
  rm -rf "$work" "$stores"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_ns="$id-server"
perf_ns="$id-perf"
[ "$SINGLE" -eq 0 ] || bench_relay_lab "$id"
# The broadcast lab of --cluster: node1 to node3 (the pair in node1 and node2) and perf.
cluster_lab="$id-c"
if [ "$CLUSTER" -eq 1 ]; then
  bench_bridge_lab "$cluster_lab"
  for n in 1 2 3; do bench_bridge_host "$cluster_lab" "node$n" "198.18.0.$n/15"; done
  bench_bridge_host "$cluster_lab" perf "$bench_cluster_relay/15"
fi

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

# The file of Kea $1 (1 or 2) of the HA pair, $2 its lease file. Load balancing splits the clients
# by a hash of their identifier, as RFC 3074 does; each server allocates from its own half of the
# pool (its class HA_serverN, which the hook gives the clients it answers) so that the two never
# offer the same address. Heartbeats every second so that the pair reaches load balancing within
# seconds of starting; a partner counts as gone only after 60 s of silence, far beyond any run.
# Warnings only, as for the single Kea: at INFO Kea logs every lease, which costs it CPU.
kea_ha_config() {
  local n=$1
  cat <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ] },
    "lease-database": { "type": "memfile", "persist": true, "name": "$2", "lfc-interval": 0 },
    "multi-threading": { "enable-multi-threading": true, "thread-pool-size": $HA_THREADS, "packet-queue-size": 28 },
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "hooks-libraries": [
      { "library": "$lease_cmds_hook" },
      { "library": "$ha_hook", "parameters": { "high-availability": [ {
        "this-server-name": "server$n", "mode": "load-balancing",
        "heartbeat-delay": 1000, "max-response-delay": 60000, "max-ack-delay": 5000, "max-unacked-clients": 0,
        "multi-threading": { "enable-multi-threading": true, "http-dedicated-listener": true,
                             "http-listener-threads": 2, "http-client-threads": 2 },
        "peers": [ { "name": "server1", "url": "http://198.18.0.1:8005/", "role": "primary" },
                   { "name": "server2", "url": "http://198.18.0.2:8005/", "role": "secondary" } ] } ] } } ],
    "subnet4": [ { "id": 1, "subnet": "198.18.0.0/15",
      "pools": [ { "pool": "$bench_cluster_pool_first - 198.18.255.255", "client-class": "HA_server1" },
                 { "pool": "198.19.0.0 - $bench_cluster_pool_last", "client-class": "HA_server2" } ],
      "option-data": [ { "name": "routers", "data": "$bench_cluster_relay" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "WARN" } ]
  }
}
JSON
}

# The HA state that Kea $1 of the pair reports (ha-heartbeat on its HA listener), or nothing.
ha_state() {
  ip netns exec "$cluster_lab-node$1" curl -s -m 2 -X POST -H 'Content-Type: application/json' \
    -d '{ "command": "ha-heartbeat", "service": [ "dhcp4" ] }' "http://198.18.0.$1:8005/" 2>/dev/null |
    sed -n 's/.*"state": *"\([a-z-]*\)".*/\1/p'
}

# Waits (at most 60 s) until both Kea of the pair are in the load-balancing state.
await_load_balancing() {
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(ha_state 1)" = load-balancing ] && [ "$(ha_state 2)" = load-balancing ] && return 0
    if ! kill -0 "${server_pids[0]}" 2>/dev/null || ! kill -0 "${server_pids[1]}" 2>/dev/null; then break; fi
    sleep 0.2
  done
  cat "$log-1" "$log-2" >&2
  die "the Kea HA pair did not reach the load-balancing state within 60 s (states: '$(ha_state 1)', '$(ha_state 2)')"
}

# The three nodes' own account so far, summed over them: DHCP messages dropped because the node had
# no free address in its blocks (POOL_EXHAUSTED), and elections started.
cluster_account() {
  local n status exhausted=0 elections=0 v
  for n in 1 2 3; do
    status=$(ip netns exec "$cluster_lab-node$n" curl -s -m 2 127.0.0.1:9067/status 2>/dev/null || true)
    v=$(grep -oE '"POOL_EXHAUSTED" *: *[0-9]+' <<<"$status" | grep -oE '[0-9]+$' || true)
    exhausted=$((exhausted + ${v:-0}))
    v=$(grep -oE '"elections-started" *: *[0-9]+' <<<"$status" | grep -oE '[0-9]+$' || true)
    elections=$((elections + ${v:-0}))
  done
  echo "$exhausted $elections"
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
pairs=(kea-ha cluster-3)
declare -A label=(
  [kea-single]="Kea, single-threaded"
  [kea-multi]="Kea, multi-threaded (4 threads, queue 28)"
  [dhcpcluster-sqlite]="dhcpcluster, SQLite (fsync before ACK)"
  [dhcpcluster-memory]="dhcpcluster, memory store"
  [kea-ha]="Kea HA pair, load-balancing ($HA_THREADS threads each, memfile, no fsync)"
  [cluster-3]="dhcpcluster, 3 nodes (SQLite, fsync, ACK after a majority has the lease)")
run_number=0

# Starts a fresh server $1 (for kea-ha and cluster-3: all its processes) and waits until it
# serves; sets server_pids, and where and how perfdhcp reaches it (perf_in, perf_to).
start_server() {
  local name=$1 dir n
  run_number=$((run_number + 1))
  dir="$stores/$name-$run_number"
  mkdir -p "$dir"
  log="$work/$name-$run_number.log"
  server_pids=()
  perf_in=$perf_ns
  perf_to=(-l 198.19.0.1 198.18.0.1)
  case "$name" in
    kea-ha)
      # Broadcast from perfdhcp's eth0: both servers hear every DISCOVER.
      perf_in="$cluster_lab-perf"
      perf_to=(-l eth0)
      for n in 1 2; do
        mkdir -p "$dir/kea$n"
        kea_ha_config "$n" "$dir/kea$n/kea-leases4.csv" >"$work/$name-$run_number-$n.json"
        KEA_PIDFILE_DIR="$dir/kea$n" KEA_LOCKFILE_DIR="$dir/kea$n" \
          ip netns exec "$cluster_lab-node$n" kea-dhcp4 -c "$work/$name-$run_number-$n.json" >"$log-$n" 2>&1 &
        server_pids+=("$!")
      done
      for n in 1 2; do
        bench_await_port_67 "$cluster_lab-node$n" "${server_pids[$((n - 1))]}" "$log-$n" || die "Kea $n of the pair did not start"
      done
      await_load_balancing
      return 0
      ;;
    cluster-3)
      perf_in="$cluster_lab-perf"
      perf_to=(-l eth0)
      BENCH_JAVA_OPTS=${DHCPCLUSTER_JAVA_OPTS--XX:+UseSerialGC -Xms512m -Xmx512m} bench_start_nodes "$cluster_lab" 3 "$dir" "$jar" ||
        die "the three nodes did not start"
      server_pids=("${bench_node_pids[@]}")
      return 0
      ;;
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
  server_pids=("$!")
  bench_await_port_67 "$server_ns" "${server_pids[0]}" "$log" || die "$name did not start"
}

stop_server() {
  bench_stop_pids "${server_pids[@]}"
  server_pids=()
  bench_node_pids=()
  rm -rf "$stores/$1-$run_number"
}

# perfdhcp at rate $1 for $2 new clients with hardware address base $3; report into file $4 (see
# bench_perfdhcp_run).
perfdhcp_run() {
  bench_perfdhcp_run "$perf_in" "$1" "$2" "$3" "$4" "${perf_to[@]}" || die "perfdhcp failed"
}

# One measured run of a fresh server $1 at rate $2 for $3 clients: sets result to the summary of
# bench_perfdhcp_summary followed by the server's CPU ticks during the run, and adds its
# non-unique addresses to the server's total. (Not in a subshell: the EXIT trap must know the
# server's PID.)
measured_run() {
  local name=$1 rate=$2 clients=$3 out before after summary nonunique state exhausted elections
  local exhausted_before=0 elections_before=0
  start_server "$name"
  if is_pair "$name"; then
    perfdhcp_run "$CLUSTER_WARMUP_RATE" "$CLUSTER_WARMUP" 02:00:00:00:00:00 "$work/warmup.txt"
  else
    perfdhcp_run "$WARMUP_RATE" "$WARMUP" 02:00:00:00:00:00 "$work/warmup.txt"
  fi
  out="$work/$name-$run_number-$rate.txt"
  [ "$name" = cluster-3 ] && read -r exhausted_before elections_before < <(cluster_account)
  before=$(bench_cpu_ticks "${server_pids[@]}")
  perfdhcp_run "$rate" "$clients" 00:0c:01:00:00:00 "$out"
  after=$(bench_cpu_ticks "${server_pids[@]}")
  summary=$(bench_perfdhcp_summary "$out")
  account=""
  if [ "$name" = cluster-3 ]; then
    read -r exhausted elections < <(cluster_account)
    account="$((exhausted - exhausted_before)) $((elections - elections_before))"
    echo "  the nodes' account at $rate/s: $((exhausted - exhausted_before)) messages dropped for want of an address in their blocks, $((elections - elections_before)) elections" >&2
  fi
  if [ "$name" = kea-ha ]; then
    # A pair that left load balancing during the run (one partner serving all) is not the pair.
    state="$(ha_state 1) $(ha_state 2)"
    if [ "$state" != "load-balancing load-balancing" ]; then
      echo "  the pair left load balancing during the run at $rate/s: $state" >&2
      ha_left=$((ha_left + 1))
    fi
  fi
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
    measured_run "$1" "$2" "$(clients_at "$1" "$2")"
    awk '{ exit !($2 < 1) }' <<<"$result" && return 0
  done
  return 1
}

is_pair() { [ "$1" = kea-ha ] || [ "$1" = cluster-3 ]; }

# The clients of a run of server $1 at rate $2: DURATION seconds' worth, at most what the pool holds.
clients_at() {
  local c=$(($2 * DURATION)) max=$MAX_CLIENTS
  is_pair "$1" && max=$CLUSTER_MAX_CLIENTS
  echo $((c < max ? c : max))
}

declare -A best fixed fixed_account nonunique_total
hz=$(getconf CLK_TCK)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
ha_left=0
# Other work on the machine takes CPU from the servers and perfdhcp: the report shows the load.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Measures server $1: a run at the fixed rate $2, then the steps $3 and their refinement.
measure() {
  local name=$1 fixed_rate=$2 steps=$3 rate passed=0 failed=0 i
  echo "measuring ${label[$name]}" >&2
  nonunique_total[$name]=0
  echo "  the fixed rate:" >&2
  measured_run "$name" "$fixed_rate" $((fixed_rate * FIXED_SECONDS))
  fixed[$name]=$result
  fixed_account[$name]=$account
  echo "  the steps:" >&2
  for rate in $steps; do
    if passes_rate "$name" "$rate"; then passed=$rate; else failed=$rate; break; fi
  done
  for ((i = 0; i < REFINE && failed > 0 && failed - passed > 100; i++)); do
    rate=$(((passed + failed) / 2))
    if passes_rate "$name" "$rate"; then passed=$rate; else failed=$rate; fi
  done
  # No failure: the highest rate is at least the last step's; no pass: it is below the lowest tried.
  best[$name]=$passed
  [ "$failed" -eq 0 ] && best[$name]=">= $passed"
  [ "$passed" -eq 0 ] && best[$name]="< $failed"
  return 0
}

if [ "$SINGLE" -eq 1 ]; then
  for name in "${servers[@]}"; do measure "$name" "$FIXED_RATE" "$RATES"; done
fi
if [ "$CLUSTER" -eq 1 ]; then
  for name in "${pairs[@]}"; do measure "$name" "$CLUSTER_FIXED_RATE" "$CLUSTER_RATES"; done
fi

# CPU time per lease in microseconds at the fixed rate.
cpu_us() {
  local acks ticks
  read -r _ _ _ acks _ _ _ _ _ ticks <<<"${fixed[$1]}"
  if [ "$acks" -gt 0 ]; then echo $((ticks * 1000000 / hz / acks)); else echo "-"; fi
}
# The highest rate of server $1 as a number: at least the last step's when none failed, 0 when the
# lowest failed.
rate_of() {
  local b=${best[$1]}
  case "$b" in "< "*) echo 0 ;; *) echo "${b#>= }" ;; esac
}

kea="kea-single"
if [ "$SINGLE" -eq 1 ]; then
  single=$(rate_of kea-single); multi=$(rate_of kea-multi)
  if [ "$multi" -gt "$single" ] || { [ "$multi" -eq "$single" ] && [ "$(cpu_us kea-multi)" != "-" ] &&
    [ "$(cpu_us kea-single)" != "-" ] && [ "$(cpu_us kea-multi)" -lt "$(cpu_us kea-single)" ]; }; then
    kea="kea-multi"
  fi
fi

# The table of the servers $2... measured at the fixed rate $1.
table() {
  local rate=$1 name achieved drops do_avg ra_avg mark
  shift
  echo "| server | highest rate under 1 % drops (/s) | DORA/s at $rate/s | drops at $rate/s | latency DISCOVER-OFFER / REQUEST-ACK, avg (ms) | non-unique addresses | server CPU per lease (µs) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for name in "$@"; do
    read -r achieved drops _ _ do_avg ra_avg _ _ _ _ <<<"${fixed[$name]}"
    mark=""; [ "$name" = "$kea" ] && mark="; Kea's best here"
    printf '| %s%s | %s | %.0f | %s %% | %s / %s | %s | %s |\n' "${label[$name]}" "$mark" "${best[$name]}" \
      "$achieved" "$drops" "$do_avg" "$ra_avg" "${nonunique_total[$name]}" "$(cpu_us "$name")"
  done
}

# Servers among $3... that did not sustain the fixed rate $2 (1 % drops or more), as a sentence
# for the section $1.
not_sustained() {
  local what=$1 rate=$2 name failing=""
  shift 2
  for name in "$@"; do
    awk '{ exit !($2 >= 1) }' <<<"${fixed[$name]}" && failing+="${failing:+, }${label[$name]}"
  done
  if [ -n "$failing" ]; then
    echo "- Not sustained at the fixed rate ($rate/s, 1 % drops or more): $failing; the $what per lease of such a server is over the leases it granted."
  fi
  return 0
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
  not_sustained "CPU" "$FIXED_RATE" "${servers[@]}"
}

pair_ratios() {
  awk -v c="$(cpu_us cluster-3)" -v k="$(cpu_us kea-ha)" -v r="$(rate_of cluster-3)" -v kr="$(rate_of kea-ha)" 'BEGIN {
    printf "- dhcpcluster, 3 nodes: highest rate %s times the Kea HA pair'\''s (target: at least 3); CPU per lease, all processes, %s times the pair'\''s\n",
      (kr > 0 ? sprintf("%.2f", r / kr) : "-"), (c != "-" && k != "-" && k > 0 ? sprintf("%.2f", c / k) : "-") }'
  not_sustained "CPU" "$CLUSTER_FIXED_RATE" "${pairs[@]}"
  local exhausted elections
  read -r exhausted elections <<<"${fixed_account[cluster-3]}"
  echo "- The three nodes at the fixed rate, by their own counters: ${exhausted:-?} DHCP messages dropped because the node had no free address in its blocks (\`POOL_EXHAUSTED\`), ${elections:-?} elections started."
  if [ "$ha_left" -gt 0 ]; then
    echo "- The Kea pair had left the load-balancing state at the end of $ha_left run(s) (see the log above)."
  fi
  return 0
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
options=""
[ "$QUICK" -eq 1 ] && options+=" --quick"
[ "$SINGLE" -eq 1 ] && [ "$CLUSTER" -eq 1 ] && options+=" --cluster"
[ "$SINGLE" -eq 0 ] && options+=" --cluster-only"
single_part() {
  echo "\`benchmarks/vs-kea.sh$options\`: perfdhcp relaying, one exchange per new client; rates stepped through $RATES/s ($DURATION s each, at most $MAX_CLIENTS clients) and refined $REFINE time(s), $TRIES run(s) before a rate counts as failed; fixed rate $FIXED_RATE/s for $FIXED_SECONDS s; every run on a fresh server after $WARMUP warm-up exchanges. Kea: memfile lease file (no fsync), the better of single- and multi-threaded marked. CPU per lease: user + system time of the server process over the ACKs received at the fixed rate."
  echo
  table "$FIXED_RATE" "${servers[@]}"
  echo
  ratios
}
pair_part() {
  echo "#### HA pair vs 3-node cluster"
  echo
  echo "\`benchmarks/vs-kea.sh$options\`: perfdhcp broadcasting on one bridge with relay address $bench_cluster_relay, so that every server hears every DISCOVER, one exchange per new client; rates stepped through $CLUSTER_RATES/s ($DURATION s each, at most $CLUSTER_MAX_CLIENTS clients) and refined $REFINE time(s), $TRIES run(s) before a rate counts as failed; fixed rate $CLUSTER_FIXED_RATE/s for $FIXED_SECONDS s; every run on fresh servers after $CLUSTER_WARMUP warm-up exchanges at $CLUSTER_WARMUP_RATE/s. Kea pair: two kea-dhcp4 with the HA hook in load-balancing mode, multi-threaded ($HA_THREADS threads, queue 28) with HA's own HTTP listener, each from its half of the pool, each ACK after the partner acknowledged the lease update; memfile (no fsync); both in the load-balancing state before every run. Cluster: three nodes with SQLite, each ACK after a majority of the three has the lease on disk (fsync). CPU per lease: user + system time of all the setup's server processes over the ACKs received at the fixed rate."
  echo
  table "$CLUSTER_FIXED_RATE" "${pairs[@]}"
  echo
  pair_ratios
}

echo
if [ "$SINGLE" -eq 1 ]; then
  table "$FIXED_RATE" "${servers[@]}"
  echo
  ratios
  echo
fi
if [ "$CLUSTER" -eq 1 ]; then
  table "$CLUSTER_FIXED_RATE" "${pairs[@]}"
  echo
  pair_ratios
fi
section=$(
  echo "### benchmarks/vs-kea.sh, $started ($mode mode)"
  echo
  echo "Machine: $(machine)"
  if [ "$SINGLE" -eq 1 ]; then
    echo
    single_part
  fi
  if [ "$CLUSTER" -eq 1 ]; then
    echo
    pair_part
  fi
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
