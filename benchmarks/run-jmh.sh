#!/usr/bin/env bash
# Runs the JMH suite (every benchmark of this module, or those matching the patterns given) and
# writes JMH's JSON results to benchmarks/results/jmh.json, beside RESULTS.md.
#
# Usage (from anywhere in the repository):
#   benchmarks/run-jmh.sh [--quick] [--no-build] [--no-gc] [--out FILE] [PATTERN...] [-- JMH OPTIONS...]
#
#   --quick     a short run: one fork, one 1 s warm-up iteration, three 1 s measurements
#               (BenchmarkBase's defaults are one fork, 3 x 2 s warm-up, 5 x 2 s measured)
#   --no-build  use benchmarks/target/benchmarks.jar as it is
#   --no-gc     leave out JMH's GC profiler (-prof gc), which by default adds each benchmark's
#               allocation per operation (gc.alloc.rate.norm, bytes/op) to the results
#   --out FILE  write the JSON there instead
#   PATTERN     JMH's benchmark regular expressions, e.g. DoraBenchmark 'Codec.*'; none runs all
#   -- ...      anything after -- goes to JMH as it is, e.g. -- -p size=1048576 -t 4
#
# It builds through the Maven reactor (package, tests skipped); nothing is installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/benchmarks/results/jmh.json"
build=1
gc=1
timing=()
patterns=()
jmh_options=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) timing=(-f 1 -wi 1 -w 1s -i 3 -r 1s); shift ;;
        --no-build) build=0; shift ;;
        --no-gc) gc=0; shift ;;
        --out) out="$(realpath -m "$2")"; shift 2 ;;
        --) shift; jmh_options=("$@"); break ;;
        -*) echo "run-jmh.sh: unknown option $1 (JMH options go after --)" >&2; exit 2 ;;
        *) patterns+=("$1"); shift ;;
    esac
done

cd "$root"
if [[ $build -eq 1 ]]; then
    ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "run-jmh.sh: $jar is missing: build it, or drop --no-build" >&2; exit 1; }

profilers=()
if [[ $gc -eq 1 ]]; then
    profilers=(-prof gc)
fi
mkdir -p "$(dirname "$out")"
echo "run-jmh.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -n 1); results to $out"
java -jar "$jar" ${patterns[@]+"${patterns[@]}"} ${timing[@]+"${timing[@]}"} ${profilers[@]+"${profilers[@]}"} \
    -rf json -rff "$out" ${jmh_options[@]+"${jmh_options[@]}"}
