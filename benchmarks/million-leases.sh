#!/usr/bin/env bash
# One node on a store of a million leases: how long from the start of its JVM until it serves,
# and how much heap the leases take. Three runs by default, each on a fresh copy of one generated
# store, printed as a table.
#
# Usage (from anywhere; no root needed, everything runs on loopback):
#   benchmarks/million-leases.sh [--runs N] [--leases N] [--heap SIZE] [--no-build] [--markdown FILE]
#
# The store is written by dev.dhcpcluster.benchmarks.LeaseStoreGenerator (benchmarks jar): lease i
# binds 127.64.0.1 + i to the client `dhcpcluster client --first-mac (1 + i)` plays, for a day,
# one in four with a host name. The node runs `java -Xmx<heap> -jar bootstrap/target/dhcpcluster.jar
# run` on a subnet 127.64.0.0/11 (the addresses are only numbers in the store; the client and node
# talk over 127.0.0.1 and 127.0.0.2).
#
# For each run it reports:
#   serving-s   seconds from launching the JVM to the node's "serving" line
#   first-ack-s seconds from launching the JVM to the first DHCPACK of a client of the store
#               (which must be that client's own stored address)
#   cpu-s       CPU seconds (user + system, all threads) the node had used when it served: the
#               figure that a loaded machine disturbs least
#   live-MiB    the heap after a full GC (the total of `jcmd PID GC.class_histogram`, which
#               collects first), once serving
#   rss-MiB     the resident size of the process then
# Environment: STORE_PARENT (default /var/tmp) holds the stores; PORT (default 16767) is the node's
# port and PORT+1 the relay port the client binds on 127.0.0.2; DHCPCLUSTER_JAVA_OPTS adds JVM
# options to the node. Every process it starts is stopped by its PID; its files are deleted on exit.
set -euo pipefail

RUNS=3
LEASES=1000000
HEAP=256m
BUILD=1
MARKDOWN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --leases) LEASES="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --markdown) MARKDOWN="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=benchmarks/lib.sh
. "$HERE/lib.sh"
JAR="$ROOT/bootstrap/target/dhcpcluster.jar"
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
PORT=${PORT:-16767}
RELAY_PORT=$((PORT + 1))
FIRST=127.64.0.1
# shellcheck disable=SC2206
JAVA_OPTS=(${DHCPCLUSTER_JAVA_OPTS:-})

WORK=$(mktemp -d "${STORE_PARENT:-/var/tmp}/million-leases.XXXXXX")
NODE_PID=""
cleanup() {
  bench_stop_pid "$NODE_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl bootstrap,benchmarks -am -DskipTests package)
fi

echo "generating $LEASES leases in $WORK/seed.db"
java -cp "$BENCH_JAR" dev.dhcpcluster.benchmarks.LeaseStoreGenerator "$WORK/seed.db" "$LEASES" "$FIRST"

# The address lease $1 holds: 127.64.0.1 + $1.
address_of() {
  local n=$(( (127 << 24 | 64 << 16) + 1 + $1 ))
  echo "$((n >> 24 & 255)).$((n >> 16 & 255)).$((n >> 8 & 255)).$((n & 255))"
}

now_ns() { date +%s%N; }

ROWS=()
for run in $(seq 1 "$RUNS"); do
  data="$WORK/run-$run"
  mkdir -p "$data"
  cp "$WORK/seed.db" "$data/leases.db"
  cat > "$WORK/node.json" <<EOF
{"node": {"id": 1, "data-directory": "$data"},
 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": $PORT, "relay-port": $RELAY_PORT},
 "admin": {"listen": "127.0.0.1:0"},
 "Dhcp4": {"valid-lifetime": 86400,
   "subnet4": [{"subnet": "127.64.0.0/11", "pools": [{"pool": "127.64.0.1 - 127.95.255.254"}],
                "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
EOF
  sync
  started=$(now_ns)
  java "-Xmx$HEAP" "${JAVA_OPTS[@]}" -jar "$JAR" run --config "$WORK/node.json" \
    > "$WORK/node-$run.out" 2> "$WORK/node-$run.err" &
  NODE_PID=$!
  serving=""
  cpu_ticks=0
  for _ in $(seq 1 2400); do
    if grep -q " serving " "$WORK/node-$run.out" 2>/dev/null; then
      serving=$(now_ns)
      cpu_ticks=$(bench_cpu_ticks "$NODE_PID")
      break
    fi
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
      break
    fi
    sleep 0.02
  done
  if [ -z "$serving" ]; then
    echo "run $run: the node did not serve; its log:" >&2
    cat "$WORK/node-$run.out" "$WORK/node-$run.err" >&2
    exit 1
  fi
  # A client of the store (lease 4242): its first ACK must be its own stored address.
  known=4242
  java -jar "$JAR" client --server 127.0.0.1 --server-port "$PORT" --bind 127.0.0.2 --port "$RELAY_PORT" \
    --first-mac $((1 + known)) --count 1 --ack-log "$WORK/acks-$run.txt" > "$WORK/client-$run.out" 2>&1 || {
      echo "run $run: the client failed:" >&2; cat "$WORK/client-$run.out" >&2; exit 1; }
  acked=$(now_ns)
  got=$(awk 'NR == 1 { print $2 }' "$WORK/acks-$run.txt")
  if [ "$got" != "$(address_of $known)" ]; then
    echo "run $run: the stored client got $got, not its own $(address_of $known)" >&2
    exit 1
  fi
  live=$(jcmd "$NODE_PID" GC.class_histogram | awk '/^Total/ { print $3 }')
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$NODE_PID/status")
  if grep -q OutOfMemoryError "$WORK/node-$run.out" "$WORK/node-$run.err"; then
    echo "run $run: the node ran out of memory" >&2
    exit 1
  fi
  loaded=$(grep -o "loaded [0-9,]* leases in [0-9]* ms" "$WORK/node-$run.err" | head -1 || true)
  bench_stop_pid "$NODE_PID"
  NODE_PID=""
  ROWS+=("$(printf '%s %.2f %.2f %.2f %.0f %.0f %s' "$run" \
    "$(echo "($serving - $started) / 1000000000" | bc -l)" \
    "$(echo "$cpu_ticks / $(getconf CLK_TCK)" | bc -l)" \
    "$(echo "($acked - $started) / 1000000000" | bc -l)" \
    "$(echo "$live / 1048576" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "${loaded:-?}")")
done

{
  echo "$LEASES leases, -Xmx$HEAP $(java -version 2>&1 | head -1), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| run | serving (s) | CPU at serving (s) | first ACK of a stored client (s) | live heap after GC (MiB) | RSS (MiB) | node's load line |"
  echo "|---|---|---|---|---|---|---|"
  for row in "${ROWS[@]}"; do
    read -r r s c a l m rest <<< "$row"
    echo "| $r | $s | $c | $a | $l | $m | $rest |"
  done
} | tee "${MARKDOWN:-/dev/null}"
