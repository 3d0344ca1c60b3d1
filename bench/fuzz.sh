#!/usr/bin/env bash
# bench/fuzz.sh BUILD [SECONDS] [RUNS] — run every libFuzzer harness of
# tests/fuzz (built by make test in BUILD/fuzz, or by make fuzz in
# build-fuzz) until RUNS executions (default 10,000,000) or SECONDS
# (default 1800) each, whichever comes first, over its seed corpus plus what
# earlier runs learnt, and write the executions, speed, corpus size and
# outcome of each to bench/results/fuzz.md with the exact commands.
# JOBS=N (default 1) runs N harnesses at a time, the slowest of the last
# bench/results/fuzz.md first, so that N cores finish together.
# A crash, sanitizer report, leak or timeout stops the run with status 1
# (the artifact is in BUILD/fuzz-work/NAME/artifacts); harnesses already
# running finish first.
set -euo pipefail
build=$(readlink -f "${1:?build folder}")
secs=${2:-1800}
runs=${3:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
bins=$build/fuzz
[ -x "$bins/fuzz_uscc" ] || bins=$build
work=$build/fuzz-work
out=$root/bench/results/fuzz.md
jobs=${JOBS:-1}
# harness names, slowest first by the executions/s of the last run (unknown first)
names=$(for src in "$root"/tests/fuzz/*.c; do
    name=$(basename "$src" .c)
    speed=$(awk -F'|' -v n=" $name " '$2 == n { gsub(/ /, "", $5); print $5 }' "$out" 2>/dev/null)
    echo "${speed:-0} $name"
done | sort -n | cut -d' ' -f2)
for name in $names; do
    [ -x "$bins/fuzz_$name" ] || { echo "no $bins/fuzz_$name: build it first (make test or make fuzz)" >&2; exit 1; }
done
rowdir=$(mktemp -d)
trap 'rm -rf "$rowdir"' EXIT
# one harness: its row in $rowdir/NAME, its status as the function's
fuzz_one() {
    local name=$1 log=$rowdir/$1.log start wall rc=0 execs speed corpus outcome=ok
    start=$(date +%s)
    "$root/tests/fuzz/run.sh" "$bins/fuzz_$name" "$name" "$secs" "$work" -runs="$runs" >"$log" 2>&1 || rc=$?
    wall=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(find "$work/$name/corpus" -type f | wc -l)
    [ "$rc" -eq 0 ] || outcome="FAILED (status $rc; see $work/$name/artifacts)"
    echo "fuzz/$name: ${execs:-?} executions in ${wall} s (${speed:-?}/s), corpus $corpus: $outcome"
    echo "| $name | ${execs:-?} | ${wall} | ${speed:-?} | $corpus | $outcome |" >"$rowdir/$name.row"
    return "$rc"
}
failed=0
running=0
for name in $names; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
    [ "$failed" -eq 0 ] || break
    fuzz_one "$name" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
{
    echo "# Fuzzing: executions per harness"
    echo
    echo "Written by \`${JOBS:+JOBS=$JOBS }bench/fuzz.sh $1 $secs $runs\` on $(date -u +%Y-%m-%dT%H:%MZ),"
    echo "$(nproc) CPUs ($(uname -m)), clang $(clang --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p'), libFuzzer with ASan + UBSan;"
    echo "each harness until $runs executions or $secs s, whichever came first, $jobs at a time."
    echo "Each harness: \`tests/fuzz/run.sh BUILD/fuzz/fuzz_NAME NAME $secs BUILD/fuzz-work -runs=$runs\`"
    echo "(seed corpus tests/fuzz/corpus/NAME, dictionary tests/fuzz/NAME.dict)."
    echo
    echo "| harness | executions | seconds | executions/s | corpus files | outcome |"
    echo "|---|---:|---:|---:|---:|---|"
    cat "$rowdir"/*.row
} >"$out"
echo "wrote $out"
[ "$failed" -eq 0 ]
