# shellcheck shell=bash
# Shell functions the end-to-end benchmarks share (sourced, not run): network namespaces on one
# bridge, stopping a process by its PID, a process's CPU time from /proc, and reading perfdhcp's
# report; the broadcast lab and the nodes of a cluster in it (vs-kea.sh --cluster and
# cluster-perfdhcp.sh). Everything here uses addresses from 198.18.0.0/15 only.
#
# A script that sources this file calls bench_cleanup from its EXIT trap; bench_add_namespace
# records each namespace it makes so that bench_cleanup deletes them all.

bench_namespaces=()
bench_node_pids=()

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

# The broadcast lab of prefix $1: a bridge in namespace $1-br, to which bench_bridge_host joins
# one namespace per host. Everything on it is in 198.18.0.0/15, so that a broadcast reaches
# every server, as on one LAN; perfdhcp broadcasting from eth0 acts as a relay whose address
# (its giaddr) is its own, and the servers answer it there.
bench_bridge_lab() {
  bench_add_namespace "$1-br"
  ip -n "$1-br" link add br0 type bridge
  ip -n "$1-br" link set br0 up
}

# Namespace $1-$2 of the broadcast lab of prefix $1, with eth0 on its bridge at address $3 (with
# its prefix length, e.g. 198.18.0.1/15); on bridge $4 if given (default br0).
bench_bridge_host() {
  local prefix=$1 name=$2 address=$3 bridge=${4:-br0} ns="$1-$2"
  bench_add_namespace "$ns"
  bench_bridge_plug "$prefix" "$name" eth0 "$bridge" "$address"
}

# Gives the existing namespace $1-$2 of the lab of prefix $1 one more interface $3, plugged into
# bridge $4 of the lab (br0, or one that bench_add_bridge made), with address $5 (with its prefix
# length), up.
bench_bridge_plug() {
  local prefix=$1 name=$2 interface=$3 bridge=$4 address=$5 ns="$1-$2" port="p-$2"
  [ "$interface" = eth0 ] || port="p-$2-$3"
  ip link add "$port" netns "$prefix-br" type veth peer name "$interface" netns "$ns"
  ip -n "$prefix-br" link set "$port" master "$bridge" up
  ip -n "$ns" addr add "$address" dev "$interface"
  ip -n "$ns" link set "$interface" up
}

# Adds bridge $2 (e.g. br1), a second link, to the lab of prefix $1.
bench_add_bridge() {
  ip -n "$1-br" link add "$2" type bridge
  ip -n "$1-br" link set "$2" up
}

# The cluster in the broadcast lab: node N is namespace PREFIX-nodeN at 198.18.0.N/15, and
# perfdhcp relays from 198.18.0.100. The subnet is the whole /15, its pool 198.18.8.0 -
# 198.19.255.254 (129,023 addresses).
bench_cluster_relay=198.18.0.100
bench_cluster_pool_first=198.18.8.0
bench_cluster_pool_last=198.19.255.254

# Prints the configuration of node $1 of a cluster of $2 nodes (one node alone if $2 is 1), with
# its data directory $3 and the cluster's secret file $4: the UDP transport on eth0, the SQLite
# store (an fsync before every ACK), the admin endpoint on the namespace's loopback.
bench_cluster_node_config() {
  local id=$1 size=$2 dir=$3 key=$4 peers="" section="" peer
  for ((peer = 1; peer <= size; peer++)); do
    if [ "$peer" -ne "$id" ]; then
      peers+="${peers:+, }{\"id\": $peer, \"address\": \"198.18.0.$peer:6767\"}"
    fi
  done
  if [ "$size" -gt 1 ]; then
    section=", \"cluster\": {\"name\": \"bench\", \"listen\": \"198.18.0.$id:6767\", \"secret-file\": \"$key\", \"peers\": [$peers]}"
  fi
  cat <<EOF
{"node": {"id": $id, "data-directory": "$dir"},
 "transport": {"type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0"},
 "admin": {"listen": "127.0.0.1:9067"}$section,
 "Dhcp4": {"valid-lifetime": 3600, "subnet4": [{"subnet": "198.18.0.0/15", "interface": "eth0",
   "pools": [{"pool": "$bench_cluster_pool_first - $bench_cluster_pool_last"}], "relay": {"ip-addresses": ["$bench_cluster_relay"]}}]}}
EOF
}

# Starts $2 nodes of the runnable jar $4 in the broadcast lab of prefix $1, their files (configs,
# logs, data directories nodeN/) in directory $3, which holds the cluster's secret in cluster.key
# (made here if missing). JVM options: $BENCH_JAVA_OPTS (default a fixed 512 MB heap). Waits until
# every node serves and, in a cluster, until every node holds its grant (until then a client of a
# bucket nobody holds is not answered). Sets bench_node_pids; fails, with the logs, if the nodes
# do not serve within 60 s, or do not all hold their grants within 60 s more.
bench_start_nodes() {
  local prefix=$1 size=$2 dir=$3 jar=$4 id holding
  bench_node_pids=()
  if [ "$size" -gt 1 ] && [ ! -f "$dir/cluster.key" ]; then
    java -jar "$jar" cluster-key "$dir/cluster.key" >/dev/null
  fi
  for ((id = 1; id <= size; id++)); do
    bench_cluster_node_config "$id" "$size" "$dir/node$id" "$dir/cluster.key" >"$dir/node$id.json"
    # shellcheck disable=SC2086 # the options are words
    ip netns exec "$prefix-node$id" java ${BENCH_JAVA_OPTS:--Xms512m -Xmx512m} -jar "$jar" run \
      --config "$dir/node$id.json" >"$dir/node$id.out" 2>"$dir/node$id.log" &
    bench_node_pids+=("$!")
  done
  # Deadlines rather than counted tries: on a loaded machine each look takes long.
  local deadline=$((SECONDS + 60))
  for ((id = 1; id <= size; id++)); do
    while ! grep -q "serving" "$dir/node$id.out" 2>/dev/null; do
      if ! kill -0 "${bench_node_pids[$((id - 1))]}" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        cat "$dir/node$id.log" >&2
        echo "node $id did not start" >&2
        return 1
      fi
      sleep 0.1
    done
  done
  [ "$size" -gt 1 ] || return 0
  deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    holding=0
    for ((id = 1; id <= size; id++)); do
      ip netns exec "$prefix-node$id" curl -s -m 2 127.0.0.1:9067/status 2>/dev/null |
        grep -Eq '"grant-current" *: *true' && holding=$((holding + 1))
    done
    [ "$holding" -eq "$size" ] && return 0
    sleep 0.2
  done
  echo "the nodes did not all hold their grants within 60 s" >&2
  return 1
}

# The routed lab of prefix $1 (benchmarks/relay-vs-direct.sh): the broadcast lab's bridge br0 is
# the server LAN, 198.18.0.0/16, with node1 to node3 at 198.18.0.N/16 and perf at
# $bench_cluster_relay; a second bridge br1 is the client LAN, 198.19.0.0/16, with client at
# $bench_routed_client; the router joins them (eth0 198.18.0.254/16, eth1 $bench_routed_giaddr/16)
# and forwards, and the nodes and the client reach each other's LAN through it. The nodes keep
# bench_cluster_node_config's one subnet, the whole /15, which both LANs lie in: a request relayed
# from either is served from the same pool, so both sides of a comparison allocate alike.
bench_routed_giaddr=198.19.0.1
bench_routed_client=198.19.0.100
bench_routed_lab() {
  local prefix=$1 n
  bench_bridge_lab "$prefix"
  bench_add_bridge "$prefix" br1
  for n in 1 2 3; do
    bench_bridge_host "$prefix" "node$n" "198.18.0.$n/16"
    ip -n "$prefix-node$n" route add 198.19.0.0/16 via 198.18.0.254
  done
  bench_bridge_host "$prefix" perf "$bench_cluster_relay/16"
  bench_bridge_host "$prefix" router 198.18.0.254/16
  bench_bridge_plug "$prefix" router eth1 br1 "$bench_routed_giaddr/16"
  ip netns exec "$prefix-router" sysctl -q -w net.ipv4.ip_forward=1
  bench_bridge_host "$prefix" client "$bench_routed_client/16" br1
  # perfdhcp there takes the nodes' answers only if it has a route back to them (reverse-path filter).
  ip -n "$prefix-client" route add 198.18.0.0/16 via "$bench_routed_giaddr"
}

# Stops the nodes of bench_start_nodes (by PID) and deletes their data directories in $1.
bench_stop_nodes() {
  bench_stop_pids "${bench_node_pids[@]}"
  bench_node_pids=()
  [ -z "${1:-}" ] || rm -rf "$1"/node*/
}

# Stops process $1 (a child of this shell): TERM, up to 10 s to exit, then KILL.
bench_stop_pid() {
  bench_stop_pids "$@"
}

# Stops the processes $@ (children of this shell) together: TERM to all, up to 10 s for all to
# exit, then KILL to those left. Empty arguments are skipped.
bench_stop_pids() {
  local pid live=()
  for pid in "$@"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$pid")
    fi
  done
  for _ in $(seq 1 100); do
    local still=()
    for pid in "${live[@]}"; do
      kill -0 "$pid" 2>/dev/null && still+=("$pid")
    done
    live=("${still[@]}")
    [ "${#live[@]}" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${live[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    [ -n "$pid" ] && { wait "$pid" 2>/dev/null || true; }
  done
  return 0
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

# Runs perfdhcp in namespace $1 at rate $2 for $3 new clients with hardware address base $4, its
# report into file $5; the remaining arguments say where it sends (e.g. -l eth0, or -l ADDRESS
# SERVER). perfdhcp numbers its clients' hardware addresses in turn, modulo -R, and near saturation
# sends a couple of DISCOVERs past -n: with -R equal to -n those wrap round to the first clients,
# whom a server rightly offers the address they already have, and perfdhcp counts that offer as a
# non-unique address. -R twice -n keeps every DISCOVER a new client's. Fails, printing the report,
# unless perfdhcp exits with 0 or 3 (3: some packets were dropped; the report says how many).
bench_perfdhcp_run() {
  local ns=$1 rate=$2 clients=$3 base=$4 out=$5 status=0
  shift 5
  timeout $((clients / rate + 60)) ip netns exec "$ns" perfdhcp -4 -r "$rate" -R $((clients * 2)) -n "$clients" \
    -p $((clients / rate + 30)) -b "mac=$base" -u "$@" >"$out" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
    cat "$out" >&2
    echo "perfdhcp failed with status $status" >&2
    return 1
  fi
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
