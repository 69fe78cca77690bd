#!/usr/bin/env bash
# Measures a dhcpcluster node with ISC perfdhcp, with its durable SQLite lease store and with the
# in-memory store, and, if kea-dhcp4 is installed, ISC Kea on the same setup in the same run, and
# prints the results side by side.
#
# The setup is built from network namespaces (a bridge, a server host 198.18.0.1 and a perfdhcp
# host 198.18.0.3 that relays from 198.18.64.1), with addresses from 198.18.0.0/15 only. Everything
# started is stopped by PID and every namespace deleted on exit. Needs root, iproute2, kea-admin
# (perfdhcp) and a JDK.
#
# Settings (environment variables):
#   RATES     space-separated exchange rates per second to try     (default "1000 2000 4000")
#   CLIENTS   simulated clients per run, each doing one DORA        (default 10000, at most 16000)
#   PERIOD    upper bound of one perfdhcp run in seconds            (default 30)
#   SERVERS   which servers to measure                              (default
#             "dhcpcluster-sqlite dhcpcluster-memory kea"; "dhcpcluster" is dhcpcluster-sqlite,
#             the node's default store)
#   STORE_PARENT  where the SQLite store's directory is created     (default /var/tmp, which is
#             on disk where /tmp may be a tmpfs: fsync must reach a real device to mean anything)
set -euo pipefail

RATES=${RATES:-"1000 2000 4000"}
CLIENTS=${CLIENTS:-10000}
PERIOD=${PERIOD:-30}
SERVERS=${SERVERS:-"dhcpcluster-sqlite dhcpcluster-memory kea"}
STORE_PARENT=${STORE_PARENT:-/var/tmp}

cd "$(dirname "$0")/.."
root=$(pwd)
jar="$root/bootstrap/target/dhcpcluster.jar"

die() { echo "perfdhcp.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"
command -v perfdhcp >/dev/null || die "perfdhcp (kea-admin) is not installed"
[ "$CLIENTS" -le 16000 ] || die "CLIENTS must be at most 16000 (the pool size)"

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
namespaces=()
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

cleanup() {
  stop_server
  for ((i = ${#namespaces[@]} - 1; i >= 0; i--)); do
    ip netns delete "${namespaces[$i]}" 2>/dev/null || true
  done
  rm -rf "$work" "$stores"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

add_namespace() {
  ip netns add "$1"
  namespaces+=("$1")
  ip -n "$1" link set lo up
}

sw="$id-sw"; server="$id-server"; perf="$id-perf"
add_namespace "$sw"
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up
port=1
for ns in "$server" "$perf"; do
  add_namespace "$ns"
  ip -n "$sw" link add "p$port" type veth peer name eth0 netns "$ns"
  ip -n "$sw" link set "p$port" master br0
  ip -n "$sw" link set "p$port" up
  port=$((port + 1))
done
ip -n "$server" addr add 198.18.0.1/24 dev eth0
ip -n "$server" link set eth0 up
ip -n "$perf" addr add 198.18.0.3/24 dev eth0
ip -n "$perf" addr add 198.18.64.1/18 dev eth0
ip -n "$perf" link set eth0 up
# perfdhcp relays from 198.18.64.1; the server answers that giaddr through the perfdhcp host.
ip -n "$server" route add 198.18.64.0/18 via 198.18.0.3

# Waits (at most 60 s) until the server process listens on UDP port 67 in its namespace.
await_port_67() {
  local name=$1 log=$2
  for _ in $(seq 1 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$log" >&2
      die "$name exited during start-up"
    fi
    if ip netns exec "$server" ss -Hlun 'sport = :67' | grep -q .; then
      return 0
    fi
    sleep 0.1
  done
  cat "$log" >&2
  die "$name did not listen on port 67 within 60 s"
}

# Runs perfdhcp at rate $1 and prints "rate achieved drops% nonunique".
measure() {
  local rate=$1 out="$work/perfdhcp-$2-$1.txt" status=0
  timeout $((PERIOD + 30)) ip netns exec "$perf" perfdhcp -4 -r "$rate" -R "$CLIENTS" -n "$CLIENTS" \
    -p "$PERIOD" -u -l 198.18.64.1 198.18.0.1 >"$out" 2>&1 || status=$?
  # perfdhcp exits with 3 when packets were dropped; the report says how many.
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$out" >&2
    die "perfdhcp failed with status $status against $2"
  fi
  awk -v rate="$rate" '
    /^Rate:/ { achieved = $2 }
    /^\*\*\*Statistics for:/ { section = $3 }
    /^sent packets:/ { sent[section] = $3 }
    /^drops:/ { drops[section] = $2 }
    /^non unique addresses:/ { nonunique += $4 }
    END {
      total_sent = sent["DISCOVER-OFFER***"] + sent["REQUEST-ACK***"]
      total_drops = drops["DISCOVER-OFFER***"] + drops["REQUEST-ACK***"]
      printf "%s %s %.2f %d\n", rate, achieved, total_sent ? 100 * total_drops / total_sent : 0, nonunique
    }' "$out"
}

pool_first=198.18.64.10
pool_last=198.18.127.250

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
  "node": { "id": 1, "data-directory": "$2" },
  "transport": { "type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0", "client-port": 68, "relay-port": 67 },
  "lease-store": $store,
  "Dhcp4": {
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "subnet4": [ { "id": 1, "subnet": "198.18.64.0/18", "pools": [ { "pool": "$pool_first - $pool_last" } ],
                   "option-data": [ { "name": "routers", "data": "198.18.64.1" } ] } ]
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
    "subnet4": [ { "id": 1, "subnet": "198.18.64.0/18", "pools": [ { "pool": "$pool_first - $pool_last" } ],
                   "option-data": [ { "name": "routers", "data": "198.18.64.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "WARN" } ]
  }
}
JSON

# Each rate gets a fresh server, so every run starts with an empty lease table (and store).
declare -A results store_lines

for name in "${servers[@]}"; do
  for rate in $RATES; do
    log="$work/$name-$rate.log"
    case "$name" in
      dhcpcluster-*)
        store=${name#dhcpcluster-}
        data="$stores/$name-$rate"
        node_config "$store" "$data" >"$work/$name-$rate.json"
        ip netns exec "$server" java -jar "$jar" run --config "$work/$name-$rate.json" >"$log" 2>&1 &
        ;;
      kea)
        KEA_PIDFILE_DIR="$work" KEA_LOCKFILE_DIR="$work" \
          ip netns exec "$server" kea-dhcp4 -c "$work/kea.json" >"$log" 2>&1 &
        ;;
    esac
    server_pid=$!
    await_port_67 "$name" "$log"
    results["$name,$rate"]=$(measure "$rate" "$name")
    stop_server
    # A node reports its store's commits when it stops: batch sizes and latency explain its rate.
    store_lines["$name,$rate"]=$(grep -o 'lease store: .*' "$log" || true)
  done
done

echo
echo "perfdhcp: $CLIENTS simulated clients, one relayed DORA exchange each"
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* ]]; then
  echo "SQLite store in $stores ($(stat -f -c %T "$stores") file system)"
fi
printf '%-20s %12s %12s %8s %11s\n' "server" "offered/s" "achieved/s" "drops%" "non-unique"
for rate in $RATES; do
  for name in "${servers[@]}"; do
    read -r _ achieved drops nonunique <<<"${results["$name,$rate"]}"
    printf '%-20s %12s %12s %8s %11s\n' "$name" "$rate" "$achieved" "$drops" "$nonunique"
  done
done
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* ]]; then
  echo
  echo "dhcpcluster-sqlite, the store's group commits:"
  for rate in $RATES; do
    echo "  offered $rate/s: ${store_lines["dhcpcluster-sqlite,$rate"]#lease store: }"
  done
fi
if [[ " ${servers[*]} " == *" dhcpcluster-sqlite "* && " ${servers[*]} " == *" dhcpcluster-memory "* ]]; then
  echo
  echo "dhcpcluster, SQLite store as a share of the memory store's achieved rate:"
  for rate in $RATES; do
    read -r _ sqlite _ _ <<<"${results["dhcpcluster-sqlite,$rate"]}"
    read -r _ memory _ _ <<<"${results["dhcpcluster-memory,$rate"]}"
    awk -v rate="$rate" -v s="$sqlite" -v m="$memory" \
      'BEGIN { printf "  offered %s/s: %.1f %% (%s of %s/s)\n", rate, (m > 0 ? 100 * s / m : 0), s, m }'
  done
fi
