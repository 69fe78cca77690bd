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

cleanup() {
    bench_stop_nodes
    bench_delete_namespaces
    rm -rf "$work"
}
trap cleanup EXIT

start_nodes() { # size
    bench_start_nodes "$prefix" "$1" "$work" "$jar" || exit 1
}

stop_nodes() {
    if [[ -n "${BENCH_VERBOSE:-}" ]]; then
        grep -h "traffic:" "$work"/node*.log >&2 2>/dev/null || true
    fi
    bench_stop_nodes "$work"
}

cpu_ticks() { # the user + system clock ticks of every node process
    bench_cpu_ticks "${bench_node_pids[@]}"
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

bench_bridge_lab "$prefix"
bench_bridge_host "$prefix" node1 198.18.0.1/15
bench_bridge_host "$prefix" node2 198.18.0.2/15
bench_bridge_host "$prefix" node3 198.18.0.3/15
bench_bridge_host "$prefix" perf "$bench_cluster_relay/15"

echo "perfdhcp broadcasting on one bridge; fixed rate $FIXED_RATE/s for $EXCHANGES exchanges; $(nproc) CPUs"
echo
echo "| setup | highest rate under 1 % lost (/s) | DORA rate at the fixed rate (/s) | ACKs | ACKs lost | non-unique addresses | node CPU per lease (µs) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
[[ -z "${BENCH_ONLY_CLUSTER:-}" ]] && measure "one node, SQLite" 1
measure "three nodes, SQLite, majority before each ACK" 3
