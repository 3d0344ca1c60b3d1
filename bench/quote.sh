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
# With BASELINE, the baseline's own server (its own fresh database) is
# measured under wrk in the same rounds too, and 300 quotes through both
# servers must be answered byte for byte alike (bench/quote_compare.py). With
# PG=1 a throwaway PostgreSQL cluster (default durability settings) serves
# a server of each build as well: stored quotes on PostgreSQL, the goal of
# issue 14 (≥ 5,000 req/s, p99 ≤ 50 ms), with PG_THREADS server threads (2);
# and in each round pgbench runs one stored quote's statements
# (bench/quote_pgbench.sql) against PostgreSQL alone, for its capacity, and
# 16 quotes batched into one transaction from one client
# (bench/quote_pgbench_batch.sql), with the cluster's CPU a quote in both;
# after the rounds, stored quotes on PostgreSQL once at each of PG_SWEEP's
# connection counts ("8 16 32 64") with the CPU time of the server, the
# cluster and wrk per request.
# BULK=0 skips part 1.
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

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# a server of a build on a fresh demo database: start_srv NAME BIN DB_URL [THREADS]
# (port[NAME]; $work/NAME.env: quote_setup.py's product, tokens, assessment)
declare -A port srv_pid
pg_threads=${PG_THREADS:-$threads}
# PostgreSQL's connections: two servers' pools (threads + 1 each), pgbench's clients, psql
pg_max_conn=$((3 * (pg_threads + 1) + 10))
start_srv() {
    local name=$1 bin=$2 url=$3 n=${4:-$threads}
    "$bin" demo --db "$url" >/dev/null
    port[$name]=$(free_port)
    "$bin" serve --db "$url" --listen "127.0.0.1:${port[$name]}" --threads "$n" --test-clock \
        --access-log "$work/$name.access.log" >"$work/$name.out" 2>&1 &
    pids+=($!)
    srv_pid[$name]=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:${port[$name]}/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    python3 "$root/bench/quote_setup.py" "http://127.0.0.1:${port[$name]}" >"$work/$name.env"
}
# a throwaway PostgreSQL cluster on a unix socket (its tools as postgres when root)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() {
    pgdir=$(mktemp -d /tmp/cy-bpg-XXXXXX)
    chmod 755 "$pgdir"
    [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
    as_pg "$pgbin/initdb" -D "$pgdir/data" -U cyberins --auth=trust -E UTF8 --no-locale >"$pgdir/initdb.log" 2>&1
    as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/pg.log" -w -t 60 \
        -o "-p 5432 -k $pgdir -c listen_addresses='' -c max_connections=$pg_max_conn ${PG_OPTS:-}" start >/dev/null
    for d in this base; do as_pg "$pgbin/createdb" -h "$pgdir" -p 5432 -U cyberins "bench_$d"; done
}
pg_stop() { [ -z "${pgdir:-}" ] || { as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }; }
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pg_stop; rm -rf "$work"; }
trap cleanup EXIT

db="sqlite:$work/bench.db"
start_srv this "$build/cyberins" "$db"
p_srv=${port[this]}
servers=(this)
if [ -n "$baseline" ]; then
    start_srv base "$baseline/cyberins" "sqlite:$work/base.db"
    servers+=(base)
fi
if [ "${PG:-0}" = 1 ]; then
    pg_start
    pg_version=$("$pgbin/postgres" --version)
    start_srv this-pg "$build/cyberins" "postgresql://cyberins@/bench_this?host=$pgdir&port=5432" "$pg_threads"
    servers+=(this-pg)
    if [ -n "$baseline" ]; then
        start_srv base-pg "$baseline/cyberins" "postgresql://cyberins@/bench_base?host=$pgdir&port=5432" "$pg_threads"
        servers+=(base-pg)
    fi
fi
p_base=$(free_port)
"$build/hello" "$p_base" $threads >"$work/hello.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$p_base/" >/dev/null 2>&1 && break
    sleep 0.1
done
# the same quotes through both builds' servers: answered byte for byte alike
compared=""
cmp_servers() {
    compared+="$(python3 "$root/bench/quote_compare.py" 300 "http://127.0.0.1:${port[$1]}" "$work/$1.env" \
        "http://127.0.0.1:${port[$2]}" "$work/$2.env" | tail -n 1) ($1 vs $2); "
}
[ -z "$baseline" ] || cmp_servers this base
[ -z "$baseline" ] || [ "${PG:-0}" != 1 ] || cmp_servers this-pg base-pg
. "$work/this.env"
python3 "$root/bench/gen_quote.py" "$rows" "$LIMITS" "$RETENTIONS" >"$work/enterprises.csv"

# ---- 1. bulk -----------------------------------------------------------------
declare -A bulk ir
spot=0
if [ "${BULK:-1}" = 1 ]; then
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

fi

# ---- 2. wrk ------------------------------------------------------------------
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.3f", v}'; }
# run_wrk URL [script] → "rps p50_ms p99_ms"
# (CONNS: wrk's connections, 64; with CPU_OF=SERVER, $work/cpu gets the CPU seconds that server,
# its PostgreSQL cluster and wrk used during the timed run)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
pg_pids() { local pm; pm=$(head -n 1 "$pgdir/data/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }
run_wrk() {
    local url=$1 script=() c=${CONNS:-64}
    [ -n "${2:-}" ] && script=(-s "$2")
    wrk -t1 -c"$c" -d2s "${script[@]}" "$url" >/dev/null
    local o
    if [ -n "${CPU_OF:-}" ]; then
        local s0 p0 hz
        hz=$(getconf CLK_TCK)
        s0=$(ticks "${srv_pid[$CPU_OF]}")
        p0=$(ticks $(pg_pids))
        o=$(/usr/bin/time -f "%U %S" -o "$work/wrk.time" wrk -t1 -c"$c" -d"$duration" --latency "${script[@]}" "$url")
        echo "$(( $(ticks "${srv_pid[$CPU_OF]}") - s0 )) $(( $(ticks $(pg_pids)) - p0 )) $(awk -v h="$hz" '{printf "%.0f", ($1 + $2) * h}' "$work/wrk.time") $hz" >"$work/cpu"
    else
        o=$(wrk -t1 -c"$c" -d"$duration" --latency "${script[@]}" "$url")
    fi
    local non2xx
    non2xx=$(echo "$o" | awk '/Non-2xx/ {print $NF}')
    [ -z "$non2xx" ] || { echo "non-2xx answers from $url: $non2xx" >&2; echo "$o" >&2; exit 1; }
    echo "$(echo "$o" | awk '/^Requests\/sec/ {print $2}') $(echo "$o" | awk '$1=="50%" {print $2}' | to_ms) $(echo "$o" | awk '$1=="99%" {print $2}' | to_ms)"
}
# api_wrk SERVER MODE → run_wrk of bench/quote.lua against that server, with its own setup
api_wrk() (
    . "$work/$1.env"
    token=$INSURER_TOKEN
    [ "$2" = stored ] && token=$ENT_TOKEN
    export CYBERINS_PRODUCT=$PRODUCT CYBERINS_LIMITS=$LIMITS CYBERINS_RETENTIONS=$RETENTIONS \
        CYBERINS_ASSESSMENT=$ASSESSMENT CYBERINS_TOKEN=$token CYBERINS_MODE=$2
    run_wrk "http://127.0.0.1:${port[$1]}/api/v1/quotes" "$root/bench/quote.lua"
)
# pg_vars: pgbench's variables for bench/quote_pgbench.sql, a copy of the newest quote the
# PostgreSQL server of this build stored (in this shell, for the report too)
pgb_vars=()
pg_vars() {
    local q=(psql -h "$pgdir" -p 5432 -U cyberins -d bench_this -Atc) src
    src=$("${q[@]}" "SELECT max(id) FROM uw_quote WHERE assessment_id IS NOT NULL")
    pgb_vars=(-D "src=$src" -D "org=$("${q[@]}" "SELECT insured_org_id FROM uw_quote WHERE id = $src")"
              -D "assessment=$("${q[@]}" "SELECT assessment_id FROM uw_quote WHERE id = $src")"
              -D "entry=$("${q[@]}" "SELECT max(id) FROM audit_log WHERE object_type = 'quote' AND object_id = '$src'")")
}
# pg_all_ticks: CPU ticks of the whole cluster, its exited backends (pgbench's, reaped by the
# postmaster: its cutime and cstime) included
pg_all_ticks() {
    local pm t
    pm=$(head -n 1 "$pgdir/data/postmaster.pid")
    t=$(awk '{print $16 + $17}' "/proc/$pm/stat")
    echo $((t + $(ticks $(pg_pids))))
}
# pg_chained: wait (up to 60 s) until this build's server has chained every pending audit
# entry (its sequencer runs every 20 ms), so that each run's CPU counts its own entries' chaining
pg_chained() {
    local i
    for i in $(seq 1 600); do
        [ "$(psql -h "$pgdir" -p 5432 -U cyberins -d bench_this -Atc \
             "SELECT count(*) FROM audit_log WHERE seq IS NULL")" = 0 ] && return
        sleep 0.1
    done
    echo "audit entries still pending after 60 s" >&2
    exit 1
}
# $work/batch.sql: 16 quotes' reads (those of bench/quote_pgbench.sql, between its BEGIN and its
# first INSERT) and bench/quote_pgbench_batch.sql's writes of 16 quotes, in one transaction
pg_batch_script() {
    local i
    {
        echo "BEGIN;"
        for i in $(seq 1 16); do
            sed -n '/^BEGIN;$/,/^INSERT INTO/p' "$root/bench/quote_pgbench.sql" | sed '1d;$d'
        done
        grep -v '^--' "$root/bench/quote_pgbench_batch.sql"
        echo "COMMIT;"
    } >"$work/batch.sql"
}
# pg_ceiling CLIENTS SCRIPT → "tps latency_ms cpu_us": PostgreSQL alone running SCRIPT
# (a file of pgbench statements) from pgbench, and the cluster's CPU µs a transaction, the
# chaining of its audit entries by the server's sequencer included
pg_ceiling() {
    local pgb=(pgbench -h "$pgdir" -p 5432 -U cyberins -n -M prepared -c "$1" -j 1
               "${pgb_vars[@]}" -f "$2" bench_this) o t0 t1 hz
    hz=$(getconf CLK_TCK)
    "${pgb[@]}" -T 2 >/dev/null 2>&1
    pg_chained
    t0=$(pg_all_ticks)
    o=$("${pgb[@]}" -T "${duration%s}" 2>&1) || { echo "pgbench: $o" >&2; exit 1; }
    pg_chained
    t1=$(pg_all_ticks)
    echo "$(echo "$o" | awk '/^tps/ {printf "%.0f", $3}') $(echo "$o" | awk '/^latency average/ {print $4}') $(echo "$o" | awk -v t=$((t1 - t0)) -v h="$hz" -F': ' '/actually processed/ {split($2, n, "/"); printf "%.0f", t / h / n[1] * 1e6}')"
}
declare -A res
for r in $(seq 1 "$rounds"); do
    res[hello,$r]=$(run_wrk "http://127.0.0.1:$p_base/")
    line="round $r wrk: hello ${res[hello,$r]}"
    for s in "${servers[@]}"; do
        for m in indicative stored; do
            res[$s.$m,$r]=$(api_wrk "$s" $m)
            line+=" | $s $m ${res[$s.$m,$r]}"
        done
    done
    if [ "${PG:-0}" = 1 ]; then
        [ "${#pgb_vars[@]}" -gt 0 ] || { pg_vars; pg_batch_script; }
        res[pgbench,$r]=$(pg_ceiling "$pg_threads" "$root/bench/quote_pgbench.sql")
        res[pgbatch,$r]=$(pg_ceiling 1 "$work/batch.sql")
        line+=" | pgbench ${res[pgbench,$r]} | batch ${res[pgbatch,$r]}"
    fi
    echo "$line" >&2
done

# stored quotes on PostgreSQL by load: wrk's connections, and where the CPU goes
declare -A sweep
sweep_conns=${PG_SWEEP:-8 16 32 64}
if [ "${PG:-0}" = 1 ]; then
    for c in $sweep_conns; do
        sweep[$c]="$(CONNS=$c CPU_OF=this-pg api_wrk this-pg stored) $(cat "$work/cpu")"
        echo "sweep: $c connections: ${sweep[$c]}" >&2
    done
fi

# where the time of a request goes: each SQLite server's cheaper endpoints, one run each
ctx_dur=${CONTEXT_DURATION:-5s}
ctx_run() { local o; o=$(wrk -t1 -c64 -d"$ctx_dur" "$@"); echo "$o" | awk '/^Requests\/sec/ {print $2}'; }
declare -A ctx
ctx[hello]=$(ctx_run "http://127.0.0.1:$p_base/")
for s in this ${baseline:+base}; do
    (. "$work/$s.env" && printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$INSURER_TOKEN") >"$work/$s.token.lua"
    u="http://127.0.0.1:${port[$s]}"
    ctx[$s.health]=$(ctx_run "$u/healthz")
    ctx[$s.me]=$(ctx_run -s "$work/$s.token.lua" "$u/api/v1/me")
    ctx[$s.product]=$(ctx_run -s "$work/$s.token.lua" "$u/api/v1/products/$(. "$work/$s.env" && echo "$PRODUCT")")
    echo "context $s: hello ${ctx[hello]} healthz ${ctx[$s.health]} me ${ctx[$s.me]} product ${ctx[$s.product]}" >&2
done

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

read -r b_med _ _ < <(col hello 1)
read -r i_med _ _ < <(col this.indicative 1)
bulk_on=${BULK:-1}
if [ "$bulk_on" = 1 ]; then
    read -r w_med _ _ < <(bcol 1)
    read -r c_med _ _ < <(bcol 2)
fi
if [ -n "$baseline" ]; then
    [ "$bulk_on" = 1 ] && read -r bc_med _ _ < <(bcol 2 base)
    base_src=${BASELINE_LABEL:-$(awk -F= '/^CMAKE_HOME_DIRECTORY/ {print $2}' "$baseline/CMakeCache.txt")}
fi
# arow LABEL KEY → a row of the API table: this build, and the baseline build's server when there is one
arow() {
    local m bm
    read -r m _ _ < <(col "$2" 1)
    local row="| $1 | $(col "$2" 1 | fmt) | **$(ratio "$m" "$b_med")** | $(col "$2" 2 | cut -d' ' -f1) / $(col "$2" 3 | cut -d' ' -f1) |"
    if [ -n "$baseline" ]; then
        local bk=${2/this/base}
        read -r bm _ _ < <(col "$bk" 1)
        row+=" $(col "$bk" 1 | fmt) | $(ratio "$bm" "$b_med") | $(col "$bk" 2 | cut -d' ' -f1) / $(col "$bk" 3 | cut -d' ' -f1) | $(ratio "$m" "$bm") |"
    fi
    echo "$row"
}
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
    echo "# quote benchmark"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- machine: $(nproc) cores, $cpu; load average before the run $load_before (a shared machine: other work ran alongside); wrk on the same cores"
    echo "- code: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown) with the working tree's changes"
    echo "- command: \`ROUNDS=$rounds DURATION=$duration ROWS=$rows${baseline:+ BASELINE=$BASELINE} PG=${PG:-0}${PG_THREADS:+ PG_THREADS=$PG_THREADS}${PG_OPTS:+ PG_OPTS='$PG_OPTS'} BULK=${BULK:-1} CALLGRIND=${CALLGRIND:-1} bench/quote.sh build\`"
    echo "- product: the demo product of data/demo/uw.json (bi, data, ir, pr, legal, breach; limits $LIMITS fen; retentions $RETENTIONS fen), rating model data/rating/model.json"
    echo
    echo "## 1. Bulk quote on one thread"
    echo
    if [ "$bulk_on" = 1 ]; then
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
    else
        echo "Not run (BULK=0)."
    fi
    echo
    echo "## 2. POST /api/v1/quotes under wrk, next to the hello-world baseline"
    echo
    echo "- servers: \`cyberins serve --db URL --threads $threads --test-clock --access-log FILE\` on a fresh demo database each (\`--test-clock\` only for the comparison below: wrk sends no X-Test-Now); hello-world baseline: \`build/hello PORT $threads\` (bench/hello.c, GET /)"
    if [ -n "$baseline" ]; then
        echo "- baseline build: \`$baseline/cyberins\` (built from $base_src), its own server and database of the same kind, measured in the same rounds"
        echo "- the same 300 quotes (indicative and stored, at one X-Test-Now) through this build's and the baseline's servers: $compared"
    fi
    [ "${PG:-0}" != 1 ] || echo "- PostgreSQL: $pg_version, a throwaway cluster on a unix socket, default durability (fsync on, synchronous_commit on), max_connections $pg_max_conn (two servers' pools and pgbench's clients); the PostgreSQL servers run \`--threads $pg_threads\` (PG_THREADS), their pool is threads + 1 connections"
    echo "- load: \`wrk -t1 -c64 -d2s\` warm-up, then \`wrk -t1 -c64 -d$duration --latency -s bench/quote.lua URL/api/v1/quotes\`; hello, then each server indicative and stored, alternate, $rounds rounds"
    echo "- indicative: an insurer's API token; 1,000 generated bodies cycled (\`{\"indicative\":true,\"product_id\",\"industry\",\"revenue\",\"grade\",\"aggregate_limit\",\"retention\"}\`): authentication, the product, the whole pricing and the rules, the breakdown as JSON"
    echo "- stored: the demo enterprise's API token on its submitted assessment: the same plus one transaction writing the quote, its coverages and the audit entry"
    echo
    if [ -n "$baseline" ]; then
        echo "| request | this build req/s median (min–max) | ratio to hello | p50 / p99 ms (medians) | baseline build req/s median (min–max) | ratio to hello | p50 / p99 ms | this / baseline |"
        echo "|---|---|---|---|---|---|---|---|"
    else
        echo "| request | req/s median (min–max) | ratio to hello | p50 / p99 ms (medians) |"
        echo "|---|---|---|---|"
    fi
    echo "| hello \`GET /\` | $(col hello 1 | fmt) | 1.00 | $(col hello 2 | cut -d' ' -f1) / $(col hello 3 | cut -d' ' -f1) |"
    arow "\`POST /api/v1/quotes\` indicative, SQLite (goal ≥ 0.3 of hello)" this.indicative
    arow "\`POST /api/v1/quotes\` stored, SQLite" this.stored
    if [ "${PG:-0}" = 1 ]; then
        arow "\`POST /api/v1/quotes\` indicative, PostgreSQL" this-pg.indicative
        arow "\`POST /api/v1/quotes\` stored, PostgreSQL (goal ≥ 5,000 req/s, p99 ≤ 50 ms)" this-pg.stored
    fi
    echo
    if [ "${PG:-0}" = 1 ]; then
        read -r pg_med _ _ < <(col this-pg.stored 1)
        read -r pgb_med _ _ < <(col pgbench 1)
        echo "PostgreSQL alone, in the same rounds: \`pgbench -n -M prepared -c $pg_threads -j 1 -T ${duration%s} ${pgb_vars[*]} -f bench/quote_pgbench.sql\` runs one stored quote's statements (the reads, the quote, its coverages, its audit entry, as the server sends them) with nothing of the server's own work: **$(col pgbench 1 | fmt) transactions/s**, $(col pgbench 2 | cut -d' ' -f1) ms on average. The server's stored quotes on PostgreSQL reach **$(ratio "$pg_med" "$pgb_med")** of that."
        echo
        read -r pgc_med _ _ < <(col pgbench 3)
        read -r pgx_med _ _ < <(col pgbatch 3)
        pgx_q=$(awk -v c="$pgx_med" 'BEGIN {printf "%.0f", c / 16}')
        echo "What PostgreSQL's own CPU allows, in the same rounds (the CPU time of the cluster's processes, exited backends included, from the start of the run until the server's sequencer has chained the run's audit entries, over the number of transactions): as the server sends them, **$(col pgbench 3 | fmt) µs a stored quote**. With the writes batched as one writer gathering many requests' quotes could send them: \`pgbench -n -M prepared -c 1 -j 1 -T ${duration%s} ${pgb_vars[*]} -f BATCH\`, BATCH being one transaction of 16 quotes' reads as the server sends them (three statements a quote, those of bench/quote_pgbench.sql), then bench/quote_pgbench_batch.sql: the 16 quotes, their coverages and their pending audit entries in one statement, the entries chained by the server's sequencer as always: $(col pgbatch 1 | fmt) transactions/s of 16 quotes, **$(col pgbatch 3 | fmt) µs a transaction, $pgx_q µs a quote** ($(ratio "$pgx_q" "$pgc_med") of the unbatched). At 5,000 stored quotes a second two cores give 400 µs a request to the server, PostgreSQL and wrk together; PostgreSQL alone, batched, takes $pgx_q of them$(awk -v q="$pgx_q" 'BEGIN {if (q < 400) printf ", leaving %d µs for the server and wrk", 400 - q}')."
        echo
    fi
    if [ "${PG:-0}" = 1 ]; then
        echo "Stored quotes on PostgreSQL by load, after the rounds: one \`wrk -t1 -cN -d$duration --latency\` run (after a 2 s warm-up) for each N, and the CPU time the server, the PostgreSQL cluster (postmaster and its processes, from /proc/PID/stat) and wrk used in it, per request answered:"
        echo
        echo "| connections | req/s | p50 / p99 ms | CPU µs a request: server | PostgreSQL | wrk | all |"
        echo "|---|---|---|---|---|---|---|"
        best="" best_rps=0
        for c in $sweep_conns; do
            read -r rps p50 p99 st pt wt hz <<<"${sweep[$c]}"
            echo "| $c | $rps | $p50 / $p99 | $(awk -v t="$st" -v h="$hz" -v r="$rps" -v d="${duration%s}" 'BEGIN {printf "%.0f", t / h / (r * d) * 1e6}') | $(awk -v t="$pt" -v h="$hz" -v r="$rps" -v d="${duration%s}" 'BEGIN {printf "%.0f", t / h / (r * d) * 1e6}') | $(awk -v t="$wt" -v h="$hz" -v r="$rps" -v d="${duration%s}" 'BEGIN {printf "%.0f", t / h / (r * d) * 1e6}') | $(awk -v a="$st" -v b="$pt" -v w="$wt" -v h="$hz" -v r="$rps" -v d="${duration%s}" 'BEGIN {printf "%.0f", (a + b + w) / h / (r * d) * 1e6}') |"
            awk -v p="$p99" -v r="$rps" -v b="${best_rps:-0}" 'BEGIN {exit !(p <= 50 && r > b)}' &&
                best="$c connections, $rps req/s (p99 $p99 ms)" best_rps=$rps
        done
        echo
        echo "The most stored quotes a second here with p99 ≤ 50 ms: ${best:-none}. At 5,000 stored quotes a second, two cores give 400 µs of CPU a request for the server, PostgreSQL and the load generator together."
        echo
    fi
    echo "Where a request's time goes — the SQLite servers, one \`wrk -t1 -c64 -d$ctx_dur\` run each, right after the rounds above (hello: ${ctx[hello]} req/s):"
    echo
    echo "| request | this build req/s | ratio to hello |${baseline:+ baseline build req/s | ratio to hello |} what it does |"
    echo "|---|---|---|${baseline:+---|---|}---|"
    crow() {
        local row="| $1 | ${ctx[this.$2]} | $(ratio "${ctx[this.$2]}" "${ctx[hello]}") |"
        [ -z "$baseline" ] || row+=" ${ctx[base.$2]} | $(ratio "${ctx[base.$2]}" "${ctx[hello]}") |"
        echo "$row $3 |"
    }
    crow "\`GET /healthz\`" health "routing, security headers, request id, access log, \`SELECT 1\`"
    crow "\`GET /api/v1/me\` with the token" me "API-token authentication, the user and organisation, JSON"
    crow "\`GET /api/v1/products/ID\` with the token" product "authentication, the product and its coverages, JSON"
    echo
    echo "## Reading"
    echo
    if [ "$bulk_on" = 1 ]; then
        echo "- bulk: $(awk -v w="$w_med" 'BEGIN {printf "%.0f", w}') rows/s wall, $(awk -v c="$c_med" 'BEGIN {printf "%.0f", c}') rows per CPU-second: $(awk -v c="$c_med" 'BEGIN {printf "%.2f", c / 500000}') of the 500,000 goal per CPU-second${baseline:+, $(ratio "$c_med" "${bc_med:-1}") × the baseline in the same run}."
        echo "  The row's erfc and exp arguments are evaluated by glibc's vector functions (libmvec), every"
        echo "  rounded amount certified to be what libm's scalar erfc and exp give, so the output is"
        echo "  byte-identical (docs/pricing.md). The wall clock also counts what other work took from"
        echo "  these two cores (load average above): compare the builds within a run."
    fi
    echo "- API: the indicative quote reaches $(ratio "$i_med" "$b_med") of hello (goal 0.3). Authentication comes"
    echo "  from a per-server cache validated by the store's cache epoch (no database round trip"
    echo "  on the hot path; disabling a user or revoking a token bumps the epoch, which every"
    echo "  server reads), the product from a cache by version, the breakdown written as JSON text."
    echo "  Stored quotes on PostgreSQL no longer queue behind the audit head: the entry is written"
    echo "  pending and chained in batches by a sequencer (docs/security.md)."
    echo "- Two shared cores carry wrk, the server${PG:+, PostgreSQL} and other helpers' builds at"
    echo "  once: only ratios within a run mean anything, and the spread (min–max) is wide."
} >"$out"
echo "wrote $out" >&2
cat "$out"
