#!/usr/bin/env bash
# bench/stats.sh BUILD — the statistics workload of issue 13: a book of
# 100,000 insured enterprises and 150,000 policies over 34 province-level
# units and 3 years (bench/gen_stats.py, deterministic), loaded into a fresh
# demo database on SQLite and on PostgreSQL (a throwaway cluster); then the
# national dashboard's queries — what stats.html asks for the ministry, over
# 2023-01-01 … 2025-12-31: by quarter, province, section, product class and
# pilot — through GET /api/v1/stats of `cyberins serve` (2 threads), each
# ROUNDS times (default 10) after one warm-up; the median, min and max of
# curl's total time. Goal: median ≤ 200 ms each, on both backends.
# Writes bench/results/stats.md. The issue's 20,000 claims are not generated:
# the statistics do not read the claims tables yet (docs/statistics.md).
set -euo pipefail
build=$(readlink -f "${1:-build}")
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/cyberins"
out="$root/bench/results/stats.md"
rounds=${ROUNDS:-10}
work=$(mktemp -d /tmp/cyberins-bench-stats-XXXXXX)
chmod 755 "$work"
server=""
pgdata=""
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    [ -n "$pgdata" ] && as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export CYBERINS_DATA="$root/data" CYBERINS_WEB="$root/web"
python3 "$root/bench/gen_stats.py" "$root/data" >"$work/book.sql"
password=$(python3 -c "import json;print(json.load(open('$root/data/demo/demo.json'))['password'])")
queries=(quarter province section product_class pilot)
results=()

# measure DB_URL LABEL LOADER...: demo, the book, a server, the queries
measure() {
    local db=$1 label=$2
    shift 2
    CYBERINS_DB="$db" "$bin" demo >"$work/demo-$label.out" 2>&1
    local t0=$SECONDS
    "$@" <"$work/book.sql" >"$work/load-$label.out" 2>&1 || { tail -5 "$work/load-$label.out" >&2; exit 1; }
    local load_s=$((SECONDS - t0))
    local port
    port=$(free_port)
    CYBERINS_DB="$db" "$bin" serve --listen "127.0.0.1:$port" --threads 2 >"$work/serve-$label.out" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    curl -fs -c "$work/cookies" -H 'content-type: application/json' \
        -d "{\"username\":\"miit\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/session" >/dev/null
    local policies
    policies=$(curl -fs -b "$work/cookies" "http://127.0.0.1:$port/api/v1/stats?from=2023-01-01&to=2025-12-31" |
        python3 -c 'import json,sys;print(json.load(sys.stdin)["total"]["policies_written"])')
    for by in "${queries[@]}"; do
        local url="http://127.0.0.1:$port/api/v1/stats?by=$by&from=2023-01-01&to=2025-12-31"
        curl -fs -b "$work/cookies" -o /dev/null "$url"
        local times=()
        for _ in $(seq 1 "$rounds"); do
            times+=("$(curl -fs -b "$work/cookies" -o /dev/null -w '%{time_total}' "$url")")
        done
        results+=("$(printf '%s\n' "${times[@]}" | sort -g | python3 -c "
import sys
t=[float(x)*1000 for x in sys.stdin.read().split()]
m=(t[len(t)//2-1]+t[len(t)//2])/2 if len(t)%2==0 else t[len(t)//2]
print('| $label | \`by=$by\` | %.1f | %.1f–%.1f | %s |' % (m, min(t), max(t), 'yes' if m <= 200 else 'NO'))")")
    done
    results+=("| $label | (book: $policies policies written 2023–2025; loaded in ${load_s} s) | | | |")
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
}

measure "sqlite:$work/bench.db" SQLite sqlite3 "$work/bench.db"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -x "${pgbin:-}/initdb" ]; then
    pgdata="$work/pg"
    mkdir "$pgdata" && { [ "$(id -u)" != 0 ] || chown postgres "$pgdata"; }
    as_pg "$pgbin/initdb" -D "$pgdata" -U cyberins --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1
    pgport=$(free_port)
    as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/pg.log" -w -t 60 \
        -o "-p $pgport -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U cyberins cyberins_bench
    pgurl="postgresql://cyberins@127.0.0.1:$pgport/cyberins_bench"
    measure "$pgurl" PostgreSQL psql "$pgurl" -v ON_ERROR_STOP=1 -q
else
    results+=("| PostgreSQL | not installed: not measured | | | |")
fi

{
    echo "# bench/stats.sh — the national dashboard's queries"
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Command: \`bench/stats.sh $(basename "$build")\` (ROUNDS=$rounds)."
    echo
    echo "Book (bench/gen_stats.py): 100,000 insured enterprises over the prefecture-level units of the 34 province-level units, 150,000 policies on the demo product written over the 36 Beijing months 2023-01 … 2025-12 (two coverages each). Claims: not generated — the statistics do not read the claims tables yet (docs/statistics.md). Each query is \`GET /api/v1/stats?by=BY&from=2023-01-01&to=2025-12-31\` as the ministry (no filter: the whole book), through \`cyberins serve --threads 2\`, one warm-up, then $rounds timed runs (curl's total time: HTTP included)."
    echo
    echo "| backend | query | median ms | min–max ms | ≤ 200 ms |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${results[@]}"
} >"$out"
cat "$out"
