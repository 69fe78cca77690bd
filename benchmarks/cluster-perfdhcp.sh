#!/usr/bin/env bash
# One node beside a three-node cluster, each driven by ISC perfdhcp broadcasting on one bridge.
#
# For each setup it builds its own network namespaces (a bridge, one namespace per node and one for
# perfdhcp, addresses from 198.18.0.0/15, a pool of 129,000), starts the nodes with SQLite stores (fsync before every
# ACK) from bootstrap/target/dhcpcluster.jar, and reports:
#   - the highest rate found at under 1 % lost exchanges (perfdhcp -r, stepped up until it fails),
#   - at a fixed rate every setup sustains: perfdhcp's DORA rate, lost exchanges, non-unique
#     addresses, and the nodes' CPU time per lease (user + system of every node process, from
#     /proc, over the leases ACKed).
# In the cluster every node hears every broadcast; the holder of the client's hash bucket answers,
# and each ACK waits until a majority of the three nodes has the lease on disk.
#
# Usage (as root, from the repository root):
#   benchmarks/cluster-perfdhcp.sh [--fixed-rate R] [--exchanges N] [--rates "R1 R2 ..."]
# Needs: ip (iproute2), perfdhcp (Debian's kea-admin package), a JDK 17. It removes its namespaces
# and stops its nodes (by the PIDs it started) when it ends.
set -euo pipefail

FIXED_RATE=1000
EXCHANGES=20000
RATES="500 1000 1500 2000 3000 4000"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --fixed-rate) FIXED_RATE="$2"; shift 2 ;;
        --exchanges) EXCHANGES="$2"; shift 2 ;;
        --rates) RATES="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

if [[ $EUID -ne 0 ]]; then
    echo "cluster-perfdhcp.sh: needs root, for its network namespaces" >&2
    exit 1
fi
for tool in ip perfdhcp java; do
    command -v "$tool" >/dev/null || { echo "cluster-perfdhcp.sh: $tool is missing" >&2; exit 1; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"
jar="$root/bootstrap/target/dhcpcluster.jar"
if [[ ! -f "$jar" ]]; then
    (cd "$root" && ./mvnw -q -DskipTests -pl bootstrap -am package)
fi
work="$(mktemp -d /tmp/dhcpcluster-bench.XXXXXX)"
prefix="dcb$$"
pids=()

cleanup() {
    stop_nodes
    bench_delete_namespaces
    rm -rf "$work"
}
trap cleanup EXIT

# A bridge in its own namespace and a host namespace per role, each with eth0 on the bridge.
lab() {
    bench_add_namespace "$prefix-br"
    ip -n "$prefix-br" link add br0 type bridge
    ip -n "$prefix-br" link set br0 up
}

host() { # name address/prefix
    local name="$1" address="$2" ns="$prefix-$1"
    bench_add_namespace "$ns"
    ip link add "p-$name" netns "$prefix-br" type veth peer name eth0 netns "$ns"
    ip -n "$prefix-br" link set "p-$name" master br0 up
    ip -n "$ns" addr add "$address" dev eth0
    ip -n "$ns" link set eth0 up
}

node_config() { # id cluster-size
    local id="$1" size="$2" peers="" section=""
    for ((peer = 1; peer <= size; peer++)); do
        if [[ $peer -ne $id ]]; then
            peers+="${peers:+, }{\"id\": $peer, \"address\": \"198.18.0.$peer:6767\"}"
        fi
    done
    if [[ $size -gt 1 ]]; then
        section=", \"cluster\": {\"name\": \"bench\", \"listen\": \"198.18.0.$id:6767\", \"secret-file\": \"$work/cluster.key\", \"peers\": [$peers]}"
    fi
    cat > "$work/node$id.json" <<EOF
{"node": {"id": $id, "data-directory": "$work/node$id"},
 "transport": {"type": "udp", "listen-address": "0.0.0.0", "listen-port": 67, "interface": "eth0"},
 "admin": {"listen": "127.0.0.1:9067"}$section,
 "Dhcp4": {"valid-lifetime": 3600, "subnet4": [{"subnet": "198.18.0.0/15", "interface": "eth0",
   "pools": [{"pool": "198.18.8.0 - 198.19.255.254"}], "relay": {"ip-addresses": ["198.18.0.100"]}}]}}
EOF
}

start_nodes() { # size
    local size="$1"
    pids=()
    for ((id = 1; id <= size; id++)); do
        node_config "$id" "$size"
        ip netns exec "$prefix-node$id" java -Xms512m -Xmx512m -jar "$jar" run --config "$work/node$id.json" \
            > "$work/node$id.out" 2> "$work/node$id.log" &
        pids+=("$!")
    done
    for ((id = 1; id <= size; id++)); do
        for _ in $(seq 600); do
            grep -q "serving" "$work/node$id.out" 2>/dev/null && break
            sleep 0.1
        done
        grep -q "serving" "$work/node$id.out" || { echo "node $id did not start:" >&2; cat "$work/node$id.log" >&2; exit 1; }
    done
    if [[ $size -gt 1 ]]; then
        # Until every node holds its grant, a client of a bucket nobody holds yet is not answered.
        for _ in $(seq 300); do
            local holding=0
            for ((id = 1; id <= size; id++)); do
                ip netns exec "$prefix-node$id" curl -s 127.0.0.1:9067/status 2>/dev/null \
                    | grep -q '"grant-current":true' && holding=$((holding + 1))
            done
            [[ $holding -eq $size ]] && break
            sleep 0.2
        done
    fi
}

stop_nodes() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
    if [[ -n "${BENCH_VERBOSE:-}" ]]; then
        grep -h "traffic:" "$work"/node*.log >&2 2>/dev/null || true
    fi
    rm -rf "$work"/node*/
}

cpu_ticks() { # the user + system clock ticks of every node process
    bench_cpu_ticks "${pids[@]}"
}

# perfdhcp at RATE for N exchanges, fresh clients each (-R ten times -n); prints its report.
perf() { # rate exchanges
    ip netns exec "$prefix-perf" perfdhcp -4 -g single -l eth0 -r "$1" -R $(($2 * 10)) -n "$2" -p 120 \
        -d 5 -d 5 -W 2000000 -u 2>&1 || true
}

field() { # report pattern
    grep -m1 -E "$2" <<< "$1" | grep -oE '[0-9]+(\.[0-9]+)?' | head -1
}

measure() { # label size
    local label="$1" size="$2"
    start_nodes "$size"
    perf 200 500 > /dev/null # warm-up: the JIT, SQLite's pages
    local best=0
    for rate in $RATES; do
        local report sent lost
        report="$(perf "$rate" $((rate * 5)))"
        [[ -n "${BENCH_VERBOSE:-}" ]] && echo "$report" >&2
        sent=$(field "$report" "sent packets: ")
        lost=$(grep -A3 "DISCOVER-OFFER" <<< "$report" | grep -m1 "drops:" | grep -oE '[0-9]+' | head -1 || echo 0)
        local acklost
        acklost=$(grep -A3 "REQUEST-ACK" <<< "$report" | grep -m1 "drops:" | grep -oE '[0-9]+' | head -1 || echo 0)
        if [[ -n "$sent" && $(( (lost + acklost) * 100 )) -lt $(( sent )) ]]; then
            best=$rate
        else
            break
        fi
    done
    local before after report rate drops nonunique acks ticks
    before=$(cpu_ticks)
    report="$(perf "$FIXED_RATE" "$EXCHANGES")"
    after=$(cpu_ticks)
    [[ -n "${BENCH_VERBOSE:-}" ]] && echo "$report" >&2
    rate=$(field "$report" "^Rate: ")
    drops=$(grep -A4 "REQUEST-ACK" <<< "$report" | grep -m1 "drops:" | grep -oE '[0-9]+' | head -1 || echo "?")
    nonunique=$(grep -m1 -i "non-unique" <<< "$report" | grep -oE '[0-9]+' | head -1 || echo 0)
    acks=$(grep -A4 "REQUEST-ACK" <<< "$report" | grep -m1 "received packets:" | grep -oE '[0-9]+' | head -1 || echo 0)
    ticks=$((after - before))
    local hz cpu_us
    hz=$(getconf CLK_TCK)
    cpu_us=$(( acks > 0 ? ticks * 1000000 / hz / acks : 0 ))
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$best" "$rate" "$acks" "$drops" "$nonunique" "$cpu_us"
    stop_nodes
}

lab
host node1 198.18.0.1/15
host node2 198.18.0.2/15
host node3 198.18.0.3/15
host perf 198.18.0.100/15
java -jar "$jar" cluster-key "$work/cluster.key" > /dev/null

echo "perfdhcp broadcasting on one bridge; fixed rate $FIXED_RATE/s for $EXCHANGES exchanges; $(nproc) CPUs"
echo
echo "| setup | highest rate under 1 % lost (/s) | DORA rate at the fixed rate (/s) | ACKs | ACKs lost | non-unique addresses | node CPU per lease (µs) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
[[ -z "${BENCH_ONLY_CLUSTER:-}" ]] && measure "one node, SQLite" 1
measure "three nodes, SQLite, majority before each ACK" 3
