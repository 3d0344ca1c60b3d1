#!/usr/bin/env bash
# sim.sh [BUILD] — the "sim" benchmark of docs BENCHMARKS.md, written to
# bench/results/sim.md. In one run, each configuration RUNS times (default 3),
# interleaved so that the machine's noise spreads over all of them:
#   - the standard portfolio (100,000 policies, 5,000 systemic events,
#     bench/gen_sim.py seed 1) over YEARS (100,000) years, seed 42: 2 threads,
#     1 thread, and 2 MPI ranks of 1 thread (cyberins-mpi under mpirun);
#   - the smoke size (10,000 policies x 10,000 years), 2 threads and 1;
#   - the baseline: BASELINE (a cyberins built from the commit before the
#     change, e.g. 551550c; BASELINE_MPI its cyberins-mpi) on the same runs,
#     each right after this build's or, every other round, right before it,
#     and --kernel scalar (one draw at a time) on a fifth of the years;
#   - the floor: BUILD/sim_floor, Philox + Phi^-1 + exp for the same number of
#     coverage draws as the standard run, vectorised, no bookkeeping;
#   - the cycles per loss of each phase of a year: cyberins simulate
#     --profile (one thread, PROFILE_YEARS years), and the baseline's through
#     BASELINE_PROF (551550c, the engine before issue 14's work, instrumented by
#     bench/sim_baseline_profile.py);
#   - with BIG=1, 1,000,000 policies x 10,000 years on 2 threads within the
#     default memory cap (--max-mem 4G), and its peak.
# Wall time is the whole command (reading the portfolio and catalogue, the
# simulation, writing the files), from /usr/bin/time, with CPU time beside it.
# Not part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/cyberins
mpibin=$build/cyberins-mpi
floor=$build/sim_floor
runs=${RUNS:-3}
years_std=${YEARS:-100000}
profile_years=${PROFILE_YEARS:-5000}
base=${BASELINE:-}
base_mpi=${BASELINE_MPI:-}
base_prof=${BASELINE_PROF:-}
big=${BIG:-0}
[ -x "$bin" ] || { echo "no $bin: build first (make build)" >&2; exit 1; }
[ -x "$floor" ] || { echo "no $floor: build first (make build)" >&2; exit 1; }
work=$build/bench-sim
mkdir -p "$work" bench/results
python3 bench/gen_sim.py --policies 100000 --out "$work/std" | tee "$work/gen-std.txt"
python3 bench/gen_sim.py --policies 10000 --out "$work/smoke" | tee "$work/gen-smoke.txt"
: >"$work/runs.tsv"
uptime >"$work/load.txt"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
have_mpi=0
if [ -x "$mpibin" ] && command -v mpirun >/dev/null 2>&1; then have_mpi=1; fi

# timed LABEL WHAT CMD...: one timed run, a line in runs.tsv
timed() {
    local label=$1 what=$2
    shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" ||
        { cat "$work/err.txt" >&2; exit 1; }
    read -r wall user sys rss <"$work/time.txt"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$user" "$sys" "$rss" "$what" >>"$work/runs.tsv"
    echo "$label: ${wall} s wall, ${user} s user, peak RSS ${rss} KiB"
}

# sim LABEL BIN DATA YEARS THREADS KERNEL [mpi]: one simulation
sim() {
    local label=$1 b=$2 data=$3 years=$4 threads=$5 kernel=$6 mpi=${7:-}
    local out="$work/out-$label"
    local args=(simulate --years "$years" --seed 42 --threads "$threads" --portfolio "$data/portfolio.csv"
                --catalogue "$data/catalogue.json" --kernel "$kernel" --out "$out" --quiet)
    if [ -n "$mpi" ]; then
        timed "$label" "mpirun -np 2 $b ${args[*]}" mpirun -np 2 --oversubscribe --mca mpi_yield_when_idle 1 "$b" "${args[@]}"
    else
        timed "$label" "$b ${args[*]}" "$b" "${args[@]}"
    fi
}

# the coverage draws of the standard run, for the floor: from a short profiled run
"$bin" simulate --years 2000 --seed 42 --threads 1 --portfolio "$work/std/portfolio.csv" \
    --catalogue "$work/std/catalogue.json" --out "$work/out-count" --quiet --profile 2>"$work/count.txt"
draws=$(python3 -c 'import re,sys; t=open(sys.argv[1]).read(); m=re.search(r"\(([0-9.]+) a loss\)",t); print(m.group(1))' "$work/count.txt")

# paired ROUND LABEL THREADS [mpi]: this build's standard run and the baseline's right
# after it, or before it in even rounds, so that neither always runs in the other's wake
paired() {
    local round=$1 label=$2 threads=$3 mpi=${4:-} mine=$bin theirs=$base
    if [ -n "$mpi" ]; then
        [ "$have_mpi" = 1 ] || return 0
        mine=$mpibin theirs=$base_mpi
    fi
    if [ -n "$theirs" ] && [ $((round % 2)) = 0 ]; then
        sim "base-$label" "$theirs" "$work/std" "$years_std" "$threads" batch $mpi
    fi
    sim "$label" "$mine" "$work/std" "$years_std" "$threads" batch $mpi
    if [ -n "$theirs" ] && [ $((round % 2)) = 1 ]; then
        sim "base-$label" "$theirs" "$work/std" "$years_std" "$threads" batch $mpi
    fi
}

for i in $(seq 1 "$runs"); do
    paired "$i" std-2t 2
    paired "$i" std-1t 1
    paired "$i" std-mpi-2x1 1 mpi
    sim smoke-2t "$bin" "$work/smoke" 10000 2 batch
    sim smoke-1t "$bin" "$work/smoke" 10000 1 batch
    sim scalar-std-2t "$bin" "$work/std" $((years_std / 5)) 2 scalar
    n_draws=$(python3 -c "import json,sys; c=json.load(open('$work/out-std-2t/summary.json'))['counts']; print(int((c['attritional_incidents']+c['systemic_hits'])*$draws))")
    timed floor-2t "$floor --draws $n_draws --threads 2" "$floor" --draws "$n_draws" --threads 2
    cp "$work/out.txt" "$work/floor-2t-$i.txt"
done

# the phases of a year, cycles per loss: the change, and the baseline's if instrumented
for i in $(seq 1 "$runs"); do
    "$bin" simulate --years "$profile_years" --seed 42 --threads 1 --portfolio "$work/std/portfolio.csv" \
        --catalogue "$work/std/catalogue.json" --out "$work/out-prof" --quiet --profile 2>"$work/prof-$i.txt"
    if [ -n "$base_prof" ]; then
        SIM_PROF="$work/base-prof-$i.bin" "$base_prof" simulate --years "$profile_years" --seed 42 \
            --threads 1 --portfolio "$work/std/portfolio.csv" --catalogue "$work/std/catalogue.json" \
            --out "$work/out-base-prof" --quiet
    fi
done

# the same seed gives the same files whatever the threads, processes and build
same() {
    local a=$1 b=$2
    [ -d "$work/out-$b" ] || { echo "n/a"; return; }
    for f in ylt.csv summary.json ep.csv breakdown.csv events.csv policies.csv; do
        cmp -s "$work/out-$a/$f" "$work/out-$b/$f" || { echo "NO ($f differs)"; return; }
    done
    echo yes
}
{
    echo "threads	$(same std-2t std-1t)"
    echo "mpi	$(same std-2t std-mpi-2x1)"
    echo "baseline	$(same std-2t base-std-2t)"
} >"$work/same.tsv"

if [ "$big" = 1 ]; then
    python3 bench/gen_sim.py --policies 1000000 --out "$work/big" | tee "$work/gen-big.txt"
    sim big-2t "$bin" "$work/big" 10000 2 batch
fi
uptime >>"$work/load.txt"

python3 - "$work" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    "$years_std" "$profile_years" "$runs" <<'PY' >bench/results/sim.md.tmp
import datetime, glob, json, re, statistics, struct, sys
work, nproc, cpu, years_std, profile_years, runs = sys.argv[1:7]
years_std, profile_years = int(years_std), int(profile_years)
rows = [l.rstrip("\n").split("\t") for l in open(work + "/runs.tsv")]
by = {}
for r in rows:
    by.setdefault(r[0], []).append(r)
med = statistics.median

def stat(label):
    rs = by.get(label)
    if not rs:
        return None
    wall = sorted(float(r[1]) for r in rs)
    cpu_s = sorted(float(r[2]) + float(r[3]) for r in rs)
    return dict(wall=wall, cpu=cpu_s, rss=max(int(r[4]) for r in rs), cmd=rs[0][5], n=len(rs))

def events(label):
    c = json.load(open("%s/out-%s/summary.json" % (work, label)))["counts"]
    return c["attritional_incidents"] + c["systemic_hits"]

S = {k: stat(k) for k in by}
line = lambda x: "%.2f s (%.2f–%.2f)" % (med(x), x[0], x[-1])
out = []
o = out.append
o("# sim benchmark — portfolio accumulation Monte Carlo\n")
o("Written by `bench/sim.sh` (docs BENCHMARKS.md \"sim\"); medians of %s runs, min–max in "
  "brackets, all configurations interleaved. Wall time is the whole command (reading the "
  "portfolio and catalogue, the simulation, writing the result files), from `/usr/bin/time`; "
  "CPU is user + system time of all its threads and processes.\n" % runs)
o("- date: %s" % datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
o("- machine: %s CPUs (`nproc`), %s" % (nproc, cpu))
load = [l.strip() for l in open(work + "/load.txt")]
o("- load (`uptime`) at the start: `%s`; at the end: `%s` — a shared machine: compare the "
  "ratios and the CPU times, not the wall times across runs" % (load[0], load[-1]))
o("- workload: `%s`; smoke: `%s`" % (open(work + "/gen-std.txt").read().strip(),
                                     open(work + "/gen-smoke.txt").read().strip()))
same = dict(l.rstrip("\n").split("\t") for l in open(work + "/same.tsv"))
o("- identical result files (`cmp`, all six) — 2 threads and 1: **%s**; 2 MPI ranks and 1 "
  "process: **%s**; this build and the baseline's: **%s**\n" % (same["threads"], same["mpi"],
                                                               same["baseline"]))
ev = events("std-2t")
o("Loss events of the standard run: %d (%d a year: attritional incidents + insureds hit by "
  "systemic occurrences, each settled under its policy's terms).\n" % (ev, round(ev / years_std)))
o("| run | policies × years | threads | wall, median (min–max) | CPU, median | loss events/s per core (CPU) | peak RSS |")
o("|---|---|---|---|---|---|---|")
spec = [("std-2t", "100000", years_std, "2"), ("std-1t", "100000", years_std, "1"),
        ("std-mpi-2x1", "100000", years_std, "2 ranks × 1"),
        ("base-std-2t", "100000", years_std, "2"), ("base-std-1t", "100000", years_std, "1"),
        ("base-std-mpi-2x1", "100000", years_std, "2 ranks × 1"),
        ("smoke-2t", "10000", 10000, "2"), ("smoke-1t", "10000", 10000, "1"),
        ("scalar-std-2t", "100000", years_std // 5, "2")]
for label, pol, yrs, thr in spec:
    x = S.get(label)
    if x is None:
        continue
    e = events(label)
    o("| %s | %s × %d | %s | %s | %.2f s | %.3g | %.0f MiB |" % (label, pol, yrs, thr, line(x["wall"]),
      med(x["cpu"]), e / med(x["cpu"]), x["rss"] / 1024))
fl = S["floor-2t"]
o("| floor-2t (draws only) | %s draws | 2 | %s | %.2f s | | %.0f MiB |" % (
  re.search(r"--draws (\d+)", fl["cmd"]).group(1), line(fl["wall"]), med(fl["cpu"]), fl["rss"] / 1024))
o("")
o("`base-*`: the baseline (the commit before this change), `scalar-*`: this build with "
  "`--kernel scalar` (the same draws one at a time with Random123 and libm, on a fifth of the "
  "years), `floor-2t`: `build/sim_floor`, the same number of coverage draws (Philox4x32-10, "
  "Φ⁻¹, exp) over arrays with none of the bookkeeping.\n")
o("## Figures\n")
s2, s1 = S["std-2t"], S["std-1t"]
b2 = S.get("base-std-2t")
if b2:
    o("- standard portfolio, 2 threads: **%.2f s** against the baseline's %.2f s in this run: "
      "**%.2f×** faster by wall time, %.2f× by CPU time" % (med(s2["wall"]), med(b2["wall"]),
      med(b2["wall"]) / med(s2["wall"]), med(b2["cpu"]) / med(s2["cpu"])))
o("- floor (draws only, 2 threads): %.2f s wall, %.2f s CPU; the simulation takes **%.2f×** "
  "its floor by wall time, %.2f× by CPU time (goal ≤ 2)" % (med(fl["wall"]), med(fl["cpu"]),
  med(s2["wall"]) / med(fl["wall"]), med(s2["cpu"]) / med(fl["cpu"])))
o("- 2 threads against 1: %.2f× faster, efficiency **%.2f** of linear (by CPU time: %.2f)" % (
  med(s1["wall"]) / med(s2["wall"]), med(s1["wall"]) / (2 * med(s2["wall"])),
  med(s1["cpu"]) / med(s2["cpu"])))
m = S.get("std-mpi-2x1")
if m:
    o("- 2 MPI ranks × 1 thread against 1 process × 1 thread: %.2f× faster, efficiency **%.2f** "
      "of linear (by CPU time: %.2f; each rank reads the inputs itself)" % (
      med(s1["wall"]) / med(m["wall"]), med(s1["wall"]) / (2 * med(m["wall"])),
      med(s1["cpu"]) / med(m["cpu"])))
sm = S["smoke-2t"]
o("- memory: peak RSS %.0f MiB for 100,000 policies on 2 threads, %.0f MiB for 10,000: about "
  "**%.0f MiB per 100,000 policies** beyond a fixed %.0f MiB" % (s2["rss"] / 1024, sm["rss"] / 1024,
  (s2["rss"] - sm["rss"]) / 1024 / 0.9, (sm["rss"] - (s2["rss"] - sm["rss"]) / 9) / 1024))
big = S.get("big-2t")
if big:
    o("- 1,000,000 policies × 10,000 years, 2 threads, default `--max-mem 4G`: %.1f s wall, "
      "%.1f s CPU, **peak RSS %.0f MiB** (`%s`)" % (med(big["wall"]), med(big["cpu"]),
      big["rss"] / 1024, open(work + "/gen-big.txt").read().strip()))
met = med(s2["wall"]) <= 10.0
o("- goal (BENCHMARKS.md): ≤ 10 s and ≤ 2 GiB with 2 threads on the standard workload, aim "
  "≤ 5 s: measured **%.1f s** (%s) and **%.0f MiB**\n" % (med(s2["wall"]),
  "met" if met else "not met on this machine in this run", s2["rss"] / 1024))

# cycles per loss by phase
def now_prof(f):
    d = {}
    for l in open(f):
        m = re.match(r"  (\S.*?)\s+(-?[0-9.]+)$", l.rstrip())
        if m:
            d[m.group(1)] = float(m.group(2))
    return d
P = [now_prof(f) for f in sorted(glob.glob(work + "/prof-*.txt"))]
def pm(k):
    return med([p[k] for p in P if k in p])
def base_prof(f):
    b = open(f, "rb").read()
    r = [struct.unpack_from("8I", b, 32 * i) for i in range(len(b) // 32)]
    r = [x for x in r if x[7]]
    out = [med([x[k] / x[7] for x in r]) for k in range(7)]
    out.append(sum(out))  # the total as --profile gives it: the sum of the phases' medians
    return out
B = [base_prof(f) for f in sorted(glob.glob(work + "/base-prof-*.bin"))]
bm = lambda k: med([b[k] for b in B]) if B else None
draws_per_loss = float(re.search(r"\(([0-9.]+) a loss\)", open(work + "/prof-1.txt").read()).group(1))
fl_cyc = med([float(re.search(r"([0-9.]+) cycles a draw", open(f).read()).group(1))
              for f in glob.glob(work + "/floor-2t-*.txt")])
o("## Where the time goes: cycles per loss event by phase\n")
o("One thread, %d years of the standard workload, time-stamp counter; each figure is the "
  "median over the years of the phase's cycles per loss event of the year (a year the machine "
  "took away from the process does not count), then the median of %s runs. The baseline "
  "column is the engine before issue 14's work (551550c, one `run_year`), instrumented by "
  "`bench/sim_baseline_profile.py` (it only knows that engine's code); its phases "
  "are grouped as close as its code allows (it laid out items with the policy look-up in one "
  "pass, and summed single losses as it settled them).\n" % (profile_years, runs))
o("| phase | baseline | now |")
o("|---|---|---|")
fmt = lambda v: "%.1f" % v if v is not None else "–"
o("| generating losses (attritional + systemic) | %s | %s |" % (
  fmt(bm(0) + bm(1)) if B else "–", fmt(pm("attritional") + pm("systemic"))))
o("| policy look-up and item layout | %s | %s |" % (fmt(bm(2)), fmt(pm("policies") + pm("items"))))
o("| draws (Philox, Φ⁻¹, exp) | %s | %s |" % (fmt(bm(3)), fmt(pm("draws"))))
o("| settlement and sums of single losses | %s | %s |" % (
  fmt(bm(4) + bm(6)) if B else "–", fmt(pm("settlement") + pm("sums") + pm("year end"))))
o("| policies with several losses | %s | %s |" % (fmt(bm(5)), fmt(pm("several"))))
o("| **total** (the sum of the phases' medians) | **%s** | **%s** |" % (fmt(bm(7)), fmt(pm("total"))))
o("| floor: the same draws alone (%.2f a loss × %.2f cycles a draw) | | %.1f |" % (
  draws_per_loss, fl_cyc, draws_per_loss * fl_cyc))
o("\nThe phases of `--profile` one by one (now): " + ", ".join(
  "%s %.1f" % (k, pm(k)) for k in ["attritional", "systemic", "policies", "items", "draws",
                                  "settlement", "sums", "several", "year end"]) + ".\n")
o("## Commands (one of each)\n")
o("```")
o("python3 bench/gen_sim.py --policies 100000 --out BUILD/bench-sim/std")
o("python3 bench/gen_sim.py --policies 10000 --out BUILD/bench-sim/smoke")
for k in ["std-2t", "std-1t", "std-mpi-2x1", "base-std-2t", "base-std-mpi-2x1", "smoke-2t",
          "scalar-std-2t", "floor-2t", "big-2t"]:
    if k in S:
        o(S[k]["cmd"])
o("```")
print("\n".join(out))
PY
mv bench/results/sim.md.tmp bench/results/sim.md
cat bench/results/sim.md
