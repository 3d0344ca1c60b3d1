#!/usr/bin/env bash
# bench/quote.sh BUILD — the quote workload of shared/design/BENCHMARKS.md:
#  1. bulk: `cyberins quote --csv IN --product ID > OUT` on one thread over
#     1,000,000 enterprises from bench/gen_quote.py (fixed seed), rows/s
#     including CSV parsing and writing (ROUNDS runs); a few rows are then
#     priced again through POST /api/v1/quotes and must agree to the fen;
#  2. wrk -t1 -c64 -d10s --latency (after a 2 s warm-up) posting realistic
#     quote bodies (bench/quote.lua) with an API token to POST
#     /api/v1/quotes of `cyberins serve` (fresh SQLite demo database, 2
#     threads), alternating with the bare libmicrohttpd hello world of
#     bench/hello.c (same flags and threads) in the same run; indicative
#     prices (the goal: ≥ 0.3 of the baseline), then stored quotes for
#     information (each a transaction with its audit entry).
# With BASELINE=DIR (a build of the code to compare with, e.g. main built
# into build-base), each bulk round runs the baseline's cyberins on the same
# input right before this build's, the table shows both and their ratio, and
# the two outputs must be byte-identical (cmp; their SHA-256 is reported).
# Writes bench/results/quote.md (medians, min–max, ratios). Env: ROUNDS (3),
# DURATION (10s), ROWS (1000000), BASELINE, BASELINE_LABEL (what the baseline
# was built from, for the report; default its source directory); with a
# baseline and valgrind, also instructions a row under callgrind (CG_ROWS,
# 20000; CALLGRIND=0 skips it).
set -euo pipefail
build=$(readlink -f "${1:-build}")
baseline=${BASELINE:+$(readlink -f "$BASELINE")}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/results/quote.md"
work=$(mktemp -d)
threads=2
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
rows=${ROWS:-1000000}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

db="sqlite:$work/bench.db"
"$build/cyberins" demo --db "$db" >/dev/null
p_srv=$(free_port)
"$build/cyberins" serve --db "$db" --listen "127.0.0.1:$p_srv" --threads $threads \
    --access-log "$work/access.log" >"$work/server.out" 2>&1 &
pids+=($!)
p_base=$(free_port)
"$build/hello" "$p_base" $threads >"$work/hello.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$p_srv/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$p_base/" >/dev/null 2>&1 && break
    sleep 0.1
done
eval "$(python3 "$root/bench/quote_setup.py" "http://127.0.0.1:$p_srv")"
python3 "$root/bench/gen_quote.py" "$rows" "$LIMITS" "$RETENTIONS" >"$work/enterprises.csv"

# ---- 1. bulk -----------------------------------------------------------------
declare -A bulk
# bulk_run BIN OUT → "rows/s rows-per-cpu-s wall-s cpu-s", the run checked
bulk_run() {
    /usr/bin/time -f "%U %S" -o "$work/time" "$1" quote --csv "$work/enterprises.csv" \
        --product "$PRODUCT" --db "$db" >"$2" 2>"$work/bulk.err" || { cat "$work/bulk.err" >&2; exit 1; }
    local line quoted total bad secs rps cpu
    line=$(tail -n 1 "$work/bulk.err")
    # "quoted N of M rows (B bad) in S s on one thread: R rows/s"
    read -r quoted total bad secs rps < <(echo "$line" | awk '{gsub(/[()]/,""); print $2, $4, $6, $9, $(NF-1)}')
    [ "$bad" = 0 ] && [ "$quoted" = "$rows" ] || { echo "bulk: $line" >&2; exit 1; }
    cpu=$(awk '{print $1 + $2}' "$work/time")
    echo "$rps $(awk -v n="$rows" -v c="$cpu" 'BEGIN {printf "%.0f", n / c}') $secs $cpu"
}
for r in $(seq 1 "$rounds"); do
    if [ -n "$baseline" ]; then
        bulk[base,$r]=$(bulk_run "$baseline/cyberins" "$work/quotes.base.csv")
        echo "round $r bulk, baseline: ${bulk[base,$r]}" >&2
    fi
    bulk[$r]=$(bulk_run "$build/cyberins" "$work/quotes.csv")
    echo "round $r bulk: ${bulk[$r]}" >&2
done
[ "$(wc -l <"$work/quotes.csv")" = "$((rows + 1))" ] || { echo "bulk: wrong number of output lines" >&2; exit 1; }
sha_out=$(sha256sum "$work/quotes.csv" | cut -d' ' -f1)
if [ -n "$baseline" ]; then
    cmp "$work/quotes.base.csv" "$work/quotes.csv" >&2 || { echo "bulk: the output differs from the baseline's" >&2; exit 1; }
fi
# instructions a row under callgrind (repeatable where the clock is not): the first
# CG_ROWS rows less a one-row run (start-up), for this build and the baseline
cg_rows=${CG_ROWS:-20000}
declare -A ir
if [ -n "$baseline" ] && [ "${CALLGRIND:-1}" = 1 ] && command -v valgrind >/dev/null; then
    head -n $((cg_rows + 1)) "$work/enterprises.csv" >"$work/cg.csv"
    head -n 2 "$work/enterprises.csv" >"$work/cg1.csv"
    cg_ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1/cyberins" quote --csv "$2" --product "$PRODUCT" --db "$db" --quiet 2>&1 >/dev/null | awk '/refs:/ {gsub(",", "", $NF); print $NF}'; }
    for b in base this; do
        dir=$build
        [ $b = base ] && dir=$baseline
        ir[$b]=$(( ($(cg_ir "$dir" "$work/cg.csv") - $(cg_ir "$dir" "$work/cg1.csv")) / (cg_rows - 1) ))
    done
    echo "callgrind: ${ir[this]} instructions a row, baseline ${ir[base]}" >&2
fi

# the same rows through the API: the same premium to the fen (one code path)
spot=0
for n in 2 500000 $((rows + 1)); do
    [ "$n" -le $((rows + 1)) ] || continue
    IFS=, read -r id ind rev grade lim ret < <(sed -n "${n}p" "$work/enterprises.csv")
    IFS=, read -r id2 prem _ < <(sed -n "${n}p" "$work/quotes.csv")
    body=$(python3 -c 'import sys,json; i,r,g,l,t,p=sys.argv[1:]; print(json.dumps({"indicative":True,"product_id":int(p),"industry":i,"revenue":round(float(r)*100),"grade":g,"aggregate_limit":round(float(l)*100),"retention":round(float(t)*100)}))' "$ind" "$rev" "$grade" "$lim" "$ret" "$PRODUCT")
    api=$(curl -sf -H "Authorization: Bearer $INSURER_TOKEN" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$p_srv/api/v1/quotes" |
        python3 -c 'import sys,json; p=json.load(sys.stdin)["premium"]; print("%d.%02d" % (p // 100, p % 100))')
    [ "$id" = "$id2" ] && [ "$api" = "$prem" ] || { echo "spot check row $n: bulk $prem, API $api" >&2; exit 1; }
    spot=$((spot + 1))
done

# ---- 2. wrk ------------------------------------------------------------------
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.3f", v}'; }
# run_wrk URL [script] → "rps p50_ms p99_ms"
run_wrk() {
    local url=$1 script=()
    [ -n "${2:-}" ] && script=(-s "$2")
    wrk -t1 -c64 -d2s "${script[@]}" "$url" >/dev/null
    local o
    o=$(wrk -t1 -c64 -d"$duration" --latency "${script[@]}" "$url")
    local non2xx
    non2xx=$(echo "$o" | awk '/Non-2xx/ {print $NF}')
    [ -z "$non2xx" ] || { echo "non-2xx answers from $url: $non2xx" >&2; echo "$o" >&2; exit 1; }
    echo "$(echo "$o" | awk '/^Requests\/sec/ {print $2}') $(echo "$o" | awk '$1=="50%" {print $2}' | to_ms) $(echo "$o" | awk '$1=="99%" {print $2}' | to_ms)"
}
export CYBERINS_PRODUCT=$PRODUCT CYBERINS_LIMITS=$LIMITS CYBERINS_RETENTIONS=$RETENTIONS CYBERINS_ASSESSMENT=$ASSESSMENT
declare -A res
for r in $(seq 1 "$rounds"); do
    res[base,$r]=$(run_wrk "http://127.0.0.1:$p_base/")
    res[ind,$r]=$(CYBERINS_TOKEN=$INSURER_TOKEN CYBERINS_MODE=indicative run_wrk "http://127.0.0.1:$p_srv/api/v1/quotes" "$root/bench/quote.lua")
    res[sto,$r]=$(CYBERINS_TOKEN=$ENT_TOKEN CYBERINS_MODE=stored run_wrk "http://127.0.0.1:$p_srv/api/v1/quotes" "$root/bench/quote.lua")
    echo "round $r wrk: baseline ${res[base,$r]} | indicative ${res[ind,$r]} | stored ${res[sto,$r]}" >&2
done

# where the time of a request goes: the same server's cheaper endpoints, one run each
ctx_dur=${CONTEXT_DURATION:-5s}
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$INSURER_TOKEN" >"$work/token.lua"
ctx_run() { local o; o=$(wrk -t1 -c64 -d"$ctx_dur" "$@"); echo "$o" | awk '/^Requests\/sec/ {print $2}'; }
ctx_hello=$(ctx_run "http://127.0.0.1:$p_base/")
ctx_health=$(ctx_run "http://127.0.0.1:$p_srv/healthz")
ctx_me=$(ctx_run -s "$work/token.lua" "http://127.0.0.1:$p_srv/api/v1/me")
ctx_product=$(ctx_run -s "$work/token.lua" "http://127.0.0.1:$p_srv/api/v1/products/$PRODUCT")
ctx_ind=$(CYBERINS_TOKEN=$INSURER_TOKEN CYBERINS_MODE=indicative ctx_run -s "$root/bench/quote.lua" "http://127.0.0.1:$p_srv/api/v1/quotes")
echo "context: hello $ctx_hello healthz $ctx_health me $ctx_me product $ctx_product indicative $ctx_ind" >&2

# stats VALUES... → "median min max"
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s %s\n", m, a[1], a[NR]}'; }
col() { local key=$1 c=$2 v=(); for r in $(seq 1 "$rounds"); do v+=("$(echo "${res[$key,$r]}" | awk -v c="$c" '{print $c}')"); done; stats "${v[@]}"; }
# bcol COLUMN [base] → median min max of a bulk measure over the rounds
bcol() { local c=$1 k=${2:+$2,} v=(); for r in $(seq 1 "$rounds"); do v+=("$(echo "${bulk[$k$r]}" | awk -v c="$c" '{print $c}')"); done; stats "${v[@]}"; }
fmt() { awk '{printf "%s (%s–%s)", $1, $2, $3}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# brow LABEL COLUMN [GOAL] → a row of the bulk table, with the baseline's columns when there is one
brow() {
    if [ -z "$baseline" ]; then
        echo "| $1 | $(bcol "$2" | fmt) | ${3:-} |"
        return
    fi
    local m b
    read -r m _ _ < <(bcol "$2")
    read -r b _ _ < <(bcol "$2" base)
    echo "| $1 | $(bcol "$2" | fmt) | $(bcol "$2" base | fmt) | $(ratio "$m" "$b") | ${3:-} |"
}

read -r b_med _ _ < <(col base 1)
read -r i_med _ _ < <(col ind 1)
read -r s_med _ _ < <(col sto 1)
read -r w_med _ _ < <(bcol 1)
read -r c_med _ _ < <(bcol 2)
if [ -n "$baseline" ]; then
    read -r bc_med _ _ < <(bcol 2 base)
    base_src=${BASELINE_LABEL:-$(awk -F= '/^CMAKE_HOME_DIRECTORY/ {print $2}' "$baseline/CMakeCache.txt")}
fi
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
    echo "# quote benchmark"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- machine: $(nproc) cores, $cpu; load average before the run $load_before (a shared machine: other work ran alongside); wrk on the same cores"
    echo "- code: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown) with the working tree's changes"
    echo "- command: \`bench/quote.sh build\` (ROUNDS=$rounds DURATION=$duration ROWS=$rows)"
    echo "- product: the demo product of data/demo/uw.json (bi, data, ir, pr, legal, breach; limits $LIMITS fen; retentions $RETENTIONS fen), rating model data/rating/model.json"
    echo
    echo "## 1. Bulk quote on one thread"
    echo
    echo "- input: \`python3 bench/gen_quote.py $rows LIMITS RETENTIONS\` (seed 20250101; section uniform A–T, revenue log-uniform ¥5M–¥10B, grade A–E .10/.25/.35/.20/.10, limit and retention among the product's options)"
    echo "- run: \`/usr/bin/time cyberins quote --csv enterprises.csv --product $PRODUCT --db sqlite:bench.db > quotes.csv\` ($rounds runs; rows/s as the command reports it, timing CSV parsing, pricing, the rules and CSV writing, file reading excluded)"
    echo "- check: every row quoted, none bad; $spot rows priced again through \`POST /api/v1/quotes\` agree to the fen"
    if [ -n "$baseline" ]; then
        echo "- baseline: \`$baseline/cyberins\` (built from $base_src), run on the same input right before this build in each round; the two outputs are **byte-identical** (\`cmp\`), SHA-256 \`$sha_out\`"
        echo
        echo "| measure | this build: median (min–max) | baseline: median (min–max) | ratio of the medians | goal |"
        echo "|---|---|---|---|---|"
    else
        echo "- output SHA-256 \`$sha_out\`"
        echo
        echo "| measure | median (min–max) | goal |"
        echo "|---|---|---|"
    fi
    brow "rows/s, wall clock" 1 "≥ 500,000"
    brow "rows per CPU-second (user + sys)" 2
    brow "wall seconds for $rows rows" 3
    if [ -n "${ir[this]:-}" ]; then
        echo "| instructions a row (callgrind, first $cg_rows rows less start-up; valgrind hides AVX-512, so the AVX2 path) | ${ir[this]} | ${ir[base]} | $(ratio "${ir[base]}" "${ir[this]}") (baseline / this) | |"
    fi
    echo
    echo "## 2. POST /api/v1/quotes under wrk, next to the hello-world baseline"
    echo
    echo "- server: \`cyberins serve --db sqlite:bench.db --threads $threads --access-log FILE\`; baseline: \`build/hello PORT $threads\` (bench/hello.c, GET /)"
    echo "- load: \`wrk -t1 -c64 -d2s\` warm-up, then \`wrk -t1 -c64 -d$duration --latency -s bench/quote.lua URL/api/v1/quotes\`; baseline, indicative and stored alternate, $rounds rounds"
    echo "- indicative: an insurer's API token; 1,000 generated bodies cycled (\`{\"indicative\":true,\"product_id\",\"industry\",\"revenue\",\"grade\",\"aggregate_limit\",\"retention\"}\`): authentication, the product read from the database, the whole pricing and the rules, the breakdown as JSON"
    echo "- stored: the demo enterprise's API token on its submitted assessment: the same plus one transaction writing the quote, its coverages and the audit entry (the audit chain serialises writers)"
    echo
    echo "| endpoint | req/s median (min–max) | ratio to baseline | p50 / p99 ms (median) |"
    echo "|---|---|---|---|"
    echo "| baseline \`GET /\` (hello) | $(col base 1 | fmt) | 1.00 | $(col base 2 | cut -d' ' -f1) / $(col base 3 | cut -d' ' -f1) |"
    echo "| \`POST /api/v1/quotes\` indicative | $(col ind 1 | fmt) | **$(ratio "$i_med" "$b_med")** (goal ≥ 0.3) | $(col ind 2 | cut -d' ' -f1) / $(col ind 3 | cut -d' ' -f1) |"
    echo "| \`POST /api/v1/quotes\` stored | $(col sto 1 | fmt) | $(ratio "$s_med" "$b_med") | $(col sto 2 | cut -d' ' -f1) / $(col sto 3 | cut -d' ' -f1) |"
    echo
    echo "Where a request's time goes — the same server, one \`wrk -t1 -c64 -d$ctx_dur\` run each, right after the rounds above:"
    echo
    echo "| request | req/s | ratio to baseline | what it does beyond the one before |"
    echo "|---|---|---|---|"
    echo "| baseline \`GET /\` (hello) | $ctx_hello | 1.00 | |"
    echo "| \`GET /healthz\` | $ctx_health | $(ratio "$ctx_health" "$ctx_hello") | routing, security headers, request id, access log, \`SELECT 1\` |"
    echo "| \`GET /api/v1/me\` with the token | $ctx_me | $(ratio "$ctx_me" "$ctx_hello") | API-token authentication (SHA-256, one joined query), the user and organisation read, JSON |"
    echo "| \`GET /api/v1/products/$PRODUCT\` with the token | $ctx_product | $(ratio "$ctx_product" "$ctx_hello") | the product and its coverages read (two queries), JSON |"
    echo "| \`POST /api/v1/quotes\` indicative | $ctx_ind | $(ratio "$ctx_ind" "$ctx_hello") | the body parsed, the pricing and the rules, the breakdown as JSON |"
    echo
    echo "## Reading"
    echo
    echo "- bulk: $(awk -v w="$w_med" 'BEGIN {printf "%.0f", w}') rows/s wall, $(awk -v c="$c_med" 'BEGIN {printf "%.0f", c}') rows per CPU-second: $(awk -v c="$c_med" 'BEGIN {printf "%.2f", c / 500000}') of the 500,000 goal per CPU-second${baseline:+, $(ratio "$c_med" "$bc_med") × the baseline in the same run}."
    echo "  Each row prices six coverages against five incident types with the closed-form lognormal"
    echo "  limited expected value of core/rating.c (rating_premium, the function the simulation is"
    echo "  checked against): about 44 LEVs a row, each two erfc of arguments that depend on the"
    echo "  row's revenue, and a score of exps. What depends on the model alone is derived once when"
    echo "  it is loaded (rating_model_prepare). The row's erfc and exp arguments are gathered into"
    echo "  arrays and evaluated by glibc's vector functions (libmvec, AVX-512 or AVX2), the rest by"
    echo "  the same scalar operations as before; every rounded amount is certified to be what libm's"
    echo "  scalar erfc and exp give (a bound of 2^-40 of the terms' magnitudes; a row whose rounding"
    echo "  it cannot settle is priced again by libm's), so the output is byte-identical. See"
    echo "  docs/pricing.md. The wall clock also counts what other work took from these two cores"
    echo "  (load average above): compare the two builds within a run, by CPU-second and by"
    echo "  instructions."
    echo "- API: the indicative quote reaches $(ratio "$i_med" "$b_med") of the baseline (goal 0.3). The table above shows that"
    echo "  an authenticated read of the platform (\`/api/v1/me\`) already stays near $(ratio "$ctx_me" "$ctx_hello") of it on"
    echo "  these two shared cores: the goal cannot be met by the quote's own work, which adds the"
    echo "  product read, a few µs of pricing and the breakdown's JSON on top of authentication."
    echo "  A per-process cache of API tokens would help but is not done: disabling a user must stop"
    echo "  its tokens at once on every server, and servers keep no state between requests."
} >"$out"
echo "wrote $out" >&2
cat "$out"
