#!/usr/bin/env bash
# bench/http.sh BUILD — the http workload of shared/design/BENCHMARKS.md:
# cyberins serve (fresh SQLite demo database, 2 threads) against a bare
# libmicrohttpd hello world (bench/hello.c, same flags and threads), with
# wrk -t1 -c64 -d10s --latency after a 2 s warm-up, alternating baseline and
# server, 3 rounds; writes bench/results/http.md (medians, min–max, ratios).
set -euo pipefail
build=$(readlink -f "${1:-build}")
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/results/http.md"
work=$(mktemp -d)
threads=2
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

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

# run_wrk URL → "rps p50_ms p99_ms"
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.3f", v}'; }
run_wrk() {
    wrk -t1 -c64 -d2s "$1" >/dev/null
    local o
    o=$(wrk -t1 -c64 -d"$duration" --latency "$1")
    local rps p50 p99
    rps=$(echo "$o" | awk '/^Requests\/sec/ {print $2}')
    p50=$(echo "$o" | awk '$1=="50%" {print $2}' | to_ms)
    p99=$(echo "$o" | awk '$1=="99%" {print $2}' | to_ms)
    local non2xx
    non2xx=$(echo "$o" | awk '/Non-2xx/ {print $NF}')
    [ -z "$non2xx" ] || { echo "non-2xx answers from $1: $non2xx" >&2; exit 1; }
    echo "$rps $p50 $p99"
}

declare -A res
for r in $(seq 1 "$rounds"); do
    for ep in /healthz /api/v1/ref/coverages; do
        res[base,$ep,$r]=$(run_wrk "http://127.0.0.1:$p_base$ep")
        res[srv,$ep,$r]=$(run_wrk "http://127.0.0.1:$p_srv$ep")
        echo "round $r $ep baseline ${res[base,$ep,$r]} | server ${res[srv,$ep,$r]}" >&2
    done
done

# stats COL who ep → "median (min–max)"
stats() {
    local col=$1 who=$2 ep=$3 vals=""
    for r in $(seq 1 "$rounds"); do vals+="$(echo "${res[$who,$ep,$r]}" | awk -v c="$col" '{print $c}') "; done
    echo "$vals" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s %s", m, a[1], a[NR]}'
}

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
    echo "# http benchmark"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- machine: $(nproc) cores, $cpu; wrk on the same cores"
    echo "- server: \`cyberins serve --db sqlite:(fresh demo db) --threads $threads --access-log FILE\` ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown))"
    echo "- baseline: \`build/hello PORT $threads\` (bench/hello.c: bare libmicrohttpd, same daemon flags, ~100-byte JSON)"
    echo "- load: \`wrk -t1 -c64 -d2s URL\` (warm-up), then \`wrk -t1 -c64 -d$duration --latency URL\`; baseline and server alternate, $rounds rounds"
    echo "- command: \`make bench\` (or \`bench/http.sh build\`)"
    echo
    echo "| endpoint | baseline req/s median (min–max) | server req/s median (min–max) | ratio server/baseline | baseline p50 / p99 ms | server p50 / p99 ms |"
    echo "|---|---|---|---|---|---|"
    for ep in /healthz /api/v1/ref/coverages; do
        read -r bm bmin bmax <<<"$(stats 1 base $ep)"
        read -r sm smin smax <<<"$(stats 1 srv $ep)"
        read -r b50 _ _ <<<"$(stats 2 base $ep)"
        read -r b99 _ _ <<<"$(stats 3 base $ep)"
        read -r s50 _ _ <<<"$(stats 2 srv $ep)"
        read -r s99 _ _ <<<"$(stats 3 srv $ep)"
        ratio=$(awk -v s="$sm" -v b="$bm" 'BEGIN {printf "%.2f", s/b}')
        echo "| \`GET $ep\` | $bm ($bmin–$bmax) | $sm ($smin–$smax) | **$ratio** | $b50 / $b99 | $s50 / $s99 |"
    done
    echo
    echo "Goal: ratio ≥ 0.5. The server's numbers include its real work per request: routing,"
    echo "security headers, a request id from the CSPRNG, one JSON access-log line written to a file,"
    echo "and for /healthz a \`SELECT 1\` on the database."
} >"$out"
cat "$out"
