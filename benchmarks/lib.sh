# shellcheck shell=bash
# Shell functions the end-to-end benchmarks share (sourced, not run): network namespaces on one
# bridge, stopping a process by its PID, a process's CPU time from /proc, and reading perfdhcp's
# report. Everything here uses addresses from 198.18.0.0/15 only.
#
# A script that sources this file calls bench_cleanup from its EXIT trap; bench_add_namespace
# records each namespace it makes so that bench_cleanup deletes them all.

bench_namespaces=()

# Creates namespace $1 with its loopback up, and records it for bench_cleanup.
bench_add_namespace() {
  ip netns add "$1"
  bench_namespaces+=("$1")
  ip -n "$1" link set lo up
}

# Deletes every namespace bench_add_namespace made, the last first.
bench_delete_namespaces() {
  local i
  for ((i = ${#bench_namespaces[@]} - 1; i >= 0; i--)); do
    ip netns delete "${bench_namespaces[$i]}" 2>/dev/null || true
  done
  bench_namespaces=()
}

# The relayed lab of prefix $1: a bridge namespace $1-sw, a server namespace $1-server (eth0
# 198.18.0.1/24) and a perfdhcp namespace $1-perf (eth0 198.18.0.3/24, and 198.19.0.1/16 from which
# perfdhcp relays); the server answers the relay address 198.19.0.1 through the perfdhcp host.
bench_relay_lab() {
  local prefix=$1 port=1 ns
  bench_add_namespace "$prefix-sw"
  ip -n "$prefix-sw" link add br0 type bridge
  ip -n "$prefix-sw" link set br0 up
  for ns in "$prefix-server" "$prefix-perf"; do
    bench_add_namespace "$ns"
    ip -n "$prefix-sw" link add "p$port" type veth peer name eth0 netns "$ns"
    ip -n "$prefix-sw" link set "p$port" master br0
    ip -n "$prefix-sw" link set "p$port" up
    port=$((port + 1))
  done
  ip -n "$prefix-server" addr add 198.18.0.1/24 dev eth0
  ip -n "$prefix-server" link set eth0 up
  ip -n "$prefix-perf" addr add 198.18.0.3/24 dev eth0
  ip -n "$prefix-perf" addr add 198.19.0.1/16 dev eth0
  ip -n "$prefix-perf" link set eth0 up
  ip -n "$prefix-server" route add 198.19.0.0/16 via 198.18.0.3
}

# Stops process $1 (a child of this shell): TERM, up to 10 s to exit, then KILL.
bench_stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# The user + system clock ticks (all threads) that the processes $@ have used so far.
bench_cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    # The command name in field 2 may hold spaces: count the fields after its closing parenthesis.
    read -r -a fields < <(sed 's/^.*) //' "/proc/$pid/stat")
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

# Waits (at most 60 s) until process $2 listens on UDP port 67 in namespace $1; if it exits or
# does not listen in time, prints its log $3 and fails.
bench_await_port_67() {
  local ns=$1 pid=$2 log=$3
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      echo "the server exited during start-up" >&2
      return 1
    fi
    if ip netns exec "$ns" ss -Hlun 'sport = :67' | grep -q .; then
      return 0
    fi
    sleep 0.1
  done
  cat "$log" >&2
  echo "the server did not listen on port 67 within 60 s" >&2
  return 1
}

# Reads perfdhcp's report (file $1) and prints one line of nine fields:
#   achieved-rate drops-% non-unique acks discover-offer-avg-ms request-ack-avg-ms
#   discover-offer-max-ms request-ack-max-ms sent
# drops-% counts both exchanges (drops over packets sent); acks are the ACKs received.
bench_perfdhcp_summary() {
  awk '
    /^Rate:/ { achieved = $2 }
    /^\*\*\*Statistics for:/ { section = $3 }
    /^sent packets:/ { sent[section] = $3 }
    /^received packets:/ { received[section] = $3 }
    /^drops:/ { drops[section] = $2 }
    /^avg delay:/ { avg[section] = $3 }
    /^max delay:/ { max[section] = $3 }
    /^non unique addresses:/ { nonunique += $4 }
    END {
      d = "DISCOVER-OFFER***"; r = "REQUEST-ACK***"
      total_sent = sent[d] + sent[r]
      total_drops = drops[d] + drops[r]
      printf "%s %.2f %d %d %s %s %s %s %d\n", (achieved == "" ? 0 : achieved),
        total_sent ? 100 * total_drops / total_sent : 100, nonunique, received[r],
        (avg[d] == "" ? "-" : avg[d]), (avg[r] == "" ? "-" : avg[r]),
        (max[d] == "" ? "-" : max[d]), (max[r] == "" ? "-" : max[r]), total_sent
    }' "$1"
}
