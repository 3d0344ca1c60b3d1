#!/usr/bin/env bash
# bench/fuzz.sh BUILD [SECONDS] [RUNS] — run every libFuzzer harness of
# tests/fuzz (built by make test in BUILD/fuzz, or by make fuzz in
# build-fuzz) until RUNS executions (default 10,000,000) or SECONDS
# (default 1800) each, whichever comes first, over its seed corpus plus what
# earlier runs learnt, and write the executions, speed, corpus size and
# outcome of each to bench/results/fuzz.md with the exact commands.
# A crash, sanitizer report, leak or timeout stops the run with status 1
# (the artifact is in BUILD/fuzz-work/NAME/artifacts).
set -euo pipefail
build=$(readlink -f "${1:?build folder}")
secs=${2:-1800}
runs=${3:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
bins=$build/fuzz
[ -x "$bins/fuzz_uscc" ] || bins=$build
work=$build/fuzz-work
out=$root/bench/results/fuzz.md
rows=()
for src in "$root"/tests/fuzz/*.c; do
    name=$(basename "$src" .c)
    bin=$bins/fuzz_$name
    [ -x "$bin" ] || { echo "no $bin: build it first (make test or make fuzz)" >&2; exit 1; }
    log=$(mktemp)
    start=$(date +%s)
    rc=0
    "$root/tests/fuzz/run.sh" "$bin" "$name" "$secs" "$work" -runs="$runs" >"$log" 2>&1 || rc=$?
    wall=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(find "$work/$name/corpus" -type f | wc -l)
    outcome=ok
    [ "$rc" -eq 0 ] || outcome="FAILED (status $rc; see $work/$name/artifacts)"
    echo "fuzz/$name: ${execs:-?} executions in ${wall} s (${speed:-?}/s), corpus $corpus: $outcome"
    rows+=("| $name | ${execs:-?} | ${wall} | ${speed:-?} | $corpus | $outcome |")
    rm -f "$log"
    [ "$rc" -eq 0 ] || break
done
{
    echo "# Fuzzing: executions per harness"
    echo
    echo "Written by \`bench/fuzz.sh $1 $secs $runs\` on $(date -u +%Y-%m-%dT%H:%MZ),"
    echo "$(nproc) CPUs ($(uname -m)), clang $(clang --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p'), libFuzzer with ASan + UBSan;"
    echo "each harness until $runs executions or $secs s, whichever came first, one at a time."
    echo "Each harness: \`tests/fuzz/run.sh BUILD/fuzz/fuzz_NAME NAME $secs BUILD/fuzz-work -runs=$runs\`"
    echo "(seed corpus tests/fuzz/corpus/NAME, dictionary tests/fuzz/NAME.dict)."
    echo
    echo "| harness | executions | seconds | executions/s | corpus files | outcome |"
    echo "|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
} >"$out"
echo "wrote $out"
grep -q FAILED "$out" && exit 1 || exit 0
