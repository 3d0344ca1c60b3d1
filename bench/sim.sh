#!/usr/bin/env bash
# sim.sh [BUILD] — the "sim" benchmark of docs BENCHMARKS.md: the standard
# portfolio (100,000 policies, 5,000 systemic events, bench/gen_sim.py seed 1)
# over 100,000 years with seed 42, on 2 threads and on 1; the smoke size
# (10,000 policies × 10,000 years); and, in the same run, the baseline: the
# same simulation with --kernel scalar (one Philox call, one quantile and one
# exp at a time, no vector maths). Each configuration runs RUNS times (default
# 3); bench/results/sim.md gets medians with min–max, policy-years per second,
# loss events per second per core, peak RSS, and the ratios to the baseline.
# Not part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/cyberins
runs=${RUNS:-3}
years_std=${YEARS:-100000}
[ -x "$bin" ] || { echo "no $bin: build first (make build)" >&2; exit 1; }
work=$build/bench-sim
mkdir -p "$work" bench/results
python3 bench/gen_sim.py --policies 100000 --out "$work/std" | tee "$work/gen-std.txt"
python3 bench/gen_sim.py --policies 10000 --out "$work/smoke" | tee "$work/gen-smoke.txt"
: >"$work/runs.tsv"

# run LABEL DATA YEARS THREADS KERNEL: one timed run, a line in runs.tsv
run() {
    local label=$1 data=$2 years=$3 threads=$4 kernel=$5 i=$6
    local out="$work/out-$label"
    local cmd="$bin simulate --years $years --seed 42 --threads $threads --portfolio $data/portfolio.csv --catalogue $data/catalogue.json --kernel $kernel --out $out --quiet"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" $cmd
    read -r wall rss <"$work/time.txt"
    local events
    events=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["attritional_incidents"]+c["systemic_hits"])' "$out/summary.json")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$data" "$years" "$threads" "$kernel" \
        "$wall" "$rss" "$events" "$cmd" >>"$work/runs.tsv"
    echo "$label run $i: ${wall} s, peak RSS ${rss} KiB, $events loss events"
}

# interleave the configurations so that the machine's noise spreads over all of them
for i in $(seq 1 "$runs"); do
    run std-2t "$work/std" "$years_std" 2 batch "$i"
    run std-1t "$work/std" "$years_std" 1 batch "$i"
    run smoke-2t "$work/smoke" 10000 2 batch "$i"
    run smoke-1t "$work/smoke" 10000 1 batch "$i"
    run baseline-smoke-1t "$work/smoke" 10000 1 scalar "$i"
    run baseline-std-2t "$work/std" $((years_std / 5)) 2 scalar "$i"
done
# the same seed gives the same table whatever the thread count
cmp -s "$work/out-std-2t/ylt.csv" "$work/out-std-1t/ylt.csv" && same=yes || same=NO

python3 - "$work" "$same" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" <<'PY'
import csv, datetime, statistics, sys
work, same, nproc, cpu = sys.argv[1:5]
rows = list(csv.reader(open(work + "/runs.tsv"), delimiter="\t"))
by = {}
for r in rows:
    by.setdefault(r[0], []).append(r)
policies = {"std": 100000, "smoke": 10000, "baseline-smoke": 10000, "baseline-std": 100000}
def stats(label):
    rs = by[label]
    walls = sorted(float(r[5]) for r in rs)
    rss = max(int(r[6]) for r in rs)
    years, threads, events = int(rs[0][2]), int(rs[0][3]), int(rs[0][7])
    pol = 100000 if "std" in label else 10000
    med = statistics.median(walls)
    return dict(label=label, cmd=rs[0][8], walls=walls, med=med, rss=rss, years=years,
                threads=threads, events=events, py=pol * years / med,
                epc=events / med / threads)
s = {k: stats(k) for k in by}
def line(x):
    return ("| %s | %d × %d | %d | %.2f s (%.2f–%.2f) | %.3g | %.3g | %.0f MiB |"
            % (x["label"], 100000 if "std" in x["label"] else 10000, x["years"], x["threads"],
               x["med"], x["walls"][0], x["walls"][-1], x["py"], x["epc"], x["rss"] / 1024))
gen_std = open(work + "/gen-std.txt").read().strip()
gen_smoke = open(work + "/gen-smoke.txt").read().strip()
out = []
out.append("# sim benchmark — portfolio accumulation Monte Carlo\n")
out.append("Written by `bench/sim.sh` (docs BENCHMARKS.md \"sim\"); medians of %d runs, min–max in "
           "brackets. Wall time is the whole command (reading the portfolio and catalogue, the "
           "simulation, writing the result files), measured by `/usr/bin/time`.\n" % len(by["std-2t"]))
out.append("- date: %s" % datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
out.append("- machine: %s CPUs (`nproc`), %s" % (nproc, cpu))
out.append("- workload: `%s`; smoke: `%s`" % (gen_std, gen_smoke))
out.append("- identical year loss table with 2 threads and with 1: **%s**\n" % same)
out.append("| run | policies × years | threads | wall, median (min–max) | policy-years/s | loss events/s per core | peak RSS |")
out.append("|---|---|---|---|---|---|---|")
for k in ["std-2t", "std-1t", "smoke-2t", "smoke-1t", "baseline-std-2t", "baseline-smoke-1t"]:
    out.append(line(s[k]))
b, bs = s["baseline-std-2t"], s["baseline-smoke-1t"]
out.append("")
out.append("Loss events = attritional incidents + insureds hit by systemic occurrences, each settled "
           "under its policy's terms (%d a year on the standard portfolio)." % round(s["std-2t"]["events"] / s["std-2t"]["years"]))
out.append("")
out.append("Ratios to the baseline measured in this run (`--kernel scalar`: the same draws one "
           "at a time with Random123 and libm, no libmvec), by loss events per second per core:\n")
out.append("- standard portfolio, 2 threads: batch %.3g vs scalar %.3g events/s/core: **%.2f×**"
           % (s["std-2t"]["epc"], b["epc"], s["std-2t"]["epc"] / b["epc"]))
out.append("- smoke size, 1 thread: batch %.3g vs scalar %.3g events/s/core: **%.2f×**"
           % (s["smoke-1t"]["epc"], bs["epc"], s["smoke-1t"]["epc"] / bs["epc"]))
out.append("- 2 threads vs 1 on the standard portfolio: %.2f× faster (wall)" % (s["std-1t"]["med"] / s["std-2t"]["med"]))
out.append("")
out.append("Goal (BENCHMARKS.md): ≤ 10 s wall and ≤ 2 GiB with 2 threads on the standard workload; "
           "measured **%.1f s** and **%.0f MiB**." % (s["std-2t"]["med"], s["std-2t"]["rss"] / 1024))
out.append("")
met = s["std-2t"]["med"] <= 10.0 and s["std-2t"]["rss"] <= 2 * 1024 * 1024
out.append("%s: see docs/simulation.md, \"Performance\", for where the time goes."
           % ("Met" if met else "Not met"))
out.append("")
out.append("Commands (one of each):\n")
out.append("```")
out.append("python3 bench/gen_sim.py --policies 100000 --out BUILD/bench-sim/std")
out.append("python3 bench/gen_sim.py --policies 10000 --out BUILD/bench-sim/smoke")
for k in ["std-2t", "std-1t", "smoke-2t", "smoke-1t", "baseline-std-2t", "baseline-smoke-1t"]:
    out.append(s[k]["cmd"])
out.append("```")
open("bench/results/sim.md.tmp", "w").write("\n".join(out) + "\n")
PY
mv bench/results/sim.md.tmp bench/results/sim.md
cat bench/results/sim.md
