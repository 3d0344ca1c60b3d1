#!/usr/bin/env bash
# run.sh MODE BIN — start a real cyberins server and run the end-to-end suite
# against it. MODE is sqlite, postgresql (a throwaway cluster, started here and
# torn down on exit, also when a test fails), browser (headless Debian
# Chromium through playwright-core) or nginx (two servers on one throwaway
# PostgreSQL behind Debian's nginx, as this user on free ports:
# cluster.nginx.mjs).
#
# The cluster lives in its own mktemp -d /tmp/cyberins-pg-XXXXXX, not under the
# build folder: as root the server runs as the postgres user, who cannot enter
# a checkout under /root, and a Unix-socket path must stay under 108 bytes
# whatever the checkout path is. Each run gets its own folder and port, so
# e2e-postgresql and asan/e2e-postgresql run side by side (ctest -j 2).
set -euo pipefail
mode=${1:?mode: sqlite|postgresql|browser|nginx}
bin=$(readlink -f "${2:?path to the cyberins binary}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(dirname "$bin")
work=$(mktemp -d "$build/e2e-$mode-$(basename "$bin")-XXXXXX")
chmod 755 "$work"
server_pids=()
pg_started=""
pgwork=""
nginx_pid=""

as_pg() {
    # PostgreSQL refuses to run as root: run its tools as the postgres user then,
    # from / (the current folder may be one postgres cannot enter)
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# stop_server PID: a clean stop (so that sanitizer reports are written), its status
# into rc_server; a server the suite killed on purpose (its pid in $work/killed) is not asked
stop_server() {
    local pid=$1
    grep -qx "$pid" "$work/killed" 2>/dev/null && { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || rc_server=$?
}

cleanup() {
    local rc=$?
    [ -n "$nginx_pid" ] && { kill -TERM "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; }
    for pid in "${server_pids[@]}"; do stop_server "$pid"; done
    if [ "${rc_server:-0}" -ne 0 ] && [ "$rc" -eq 0 ]; then
        echo "server exited with status ${rc_server}" >&2
        rc=1
    fi
    if [ -n "$pg_started" ]; then
        as_pg "$pgbin/pg_ctl" -D "$pgwork/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$pgwork" ]; then
        # keep the PostgreSQL and nginx logs with the rest of the run's output
        cp "$pgwork/pg.log" "$work/pg.log" 2>/dev/null || true
        cp "$pgwork/nginx/error.log" "$work/nginx-error.log" 2>/dev/null || true
        rm -rf "$pgwork"
    fi
    if [ "$rc" -ne 0 ]; then
        for out in "$work"/server*.out; do
            echo "--- $out ---" >&2
            tail -n 50 "$out" 2>/dev/null >&2 || true
        done
        [ -f "$work/pg.log" ] && tail -n 20 "$work/pg.log" >&2
        [ -f "$work/nginx-error.log" ] && tail -n 20 "$work/nginx-error.log" >&2
    else
        rm -rf "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT INT TERM

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "$mode" in
sqlite | browser)
    db="sqlite:$work/e2e.db"
    ;;
postgresql | nginx)
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$pgbin/initdb" ] || { echo "PostgreSQL server not installed (run scripts/install-deps.sh)" >&2; exit 1; }
    pgwork=$(mktemp -d /tmp/cyberins-pg-XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$pgwork"
    as_pg "$pgbin/initdb" -D "$pgwork/data" -U cyberins --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
        { rm -rf "$pgwork/data" && as_pg "$pgbin/initdb" -D "$pgwork/data" -U cyberins --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1; }
    port=$(free_port)
    as_pg "$pgbin/pg_ctl" -D "$pgwork/data" -l "$pgwork/pg.log" -w -t 60 \
        -o "-p $port -k $pgwork -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >/dev/null
    pg_started=1
    as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U cyberins cyberins_e2e
    db="postgresql://cyberins@127.0.0.1:$port/cyberins_e2e"
    ;;
*)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac

export CYBERINS_DB="$db" CYBERINS_BIN="$bin" CYBERINS_DATA="$root/data" CYBERINS_WEB="$root/web"
"$bin" demo >"$work/demo.out" 2>&1 || { cat "$work/demo.out" >&2; exit 1; }
# webhooks: the suite's receivers listen on 127.0.0.1, and retries come quickly
serve_flags=(--threads 2 --trusted-proxy 127.0.0.1 --test-clock --webhook-allow-private --webhook-retry 1 --webhook-attempts 4)
# behind nginx every connection comes from nginx's address (it limits per client itself),
# and a job whose server was killed is taken over after 5 s
[ "$mode" = nginx ] && serve_flags+=(--per-ip-connections 0 --job-stale 5)

# start_server NAME: a server on a free port; its URL into $url, its pid into $server_pid
start_server() {
    local out="$work/server$1.out"
    : >"$out"
    "$bin" serve --listen 127.0.0.1:0 "${serve_flags[@]}" --access-log "$work/access$1.log" >"$out" 2>&1 &
    server_pid=$!
    server_pids+=("$server_pid")
    url=""
    for _ in $(seq 1 200); do
        url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$out" | head -n 1 || true)
        [ -n "$url" ] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$url" ] || { echo "server did not start" >&2; exit 1; }
}

start_server ""
export BASE_URL="$url" E2E_MODE="$mode" E2E_WORK="$work" E2E_ACCESS_LOG="$work/access.log"
# the server's process (its memory is measured) and its flags (a test starts a second server)
export E2E_SERVER_PID="$server_pid" E2E_SERVE_FLAGS="${serve_flags[*]}"

if [ "$mode" = nginx ]; then
    # a second server on the same database, and Debian's nginx in front of both
    export E2E_A_URL="$url" E2E_A_PID="$server_pid"
    start_server -b
    export E2E_B_URL="$url" E2E_B_PID="$server_pid"
    ngwork="$pgwork/nginx"
    mkdir -p "$ngwork"
    nginx_port=$(free_port)
    user_line=""
    [ "$(id -u)" = 0 ] && user_line="user root;"
    sed -e "s|@WORK@|$ngwork|g" -e "s|@LISTEN@|127.0.0.1:$nginx_port|g" -e "s|@USER@|$user_line|" \
        -e "s|@A@|${E2E_A_URL#http://}|" -e "s|@B@|${E2E_B_URL#http://}|" \
        "$here/nginx.conf.in" >"$ngwork/nginx.conf"
    /usr/sbin/nginx -p "$ngwork" -c "$ngwork/nginx.conf" -e "$ngwork/error.log" &
    nginx_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$nginx_port/healthz" >/dev/null 2>&1 && break
        kill -0 "$nginx_pid" 2>/dev/null || { cat "$ngwork/error.log" >&2; exit 1; }
        sleep 0.1
    done
    export BASE_URL="http://127.0.0.1:$nginx_port"
    : >"$work/killed"
fi

cd "$root"
if [ "$mode" = browser ]; then
    node --test --test-concurrency=1 tests/e2e/browser.test.mjs
elif [ "$mode" = nginx ]; then
    node --test --test-concurrency=1 tests/e2e/cluster.nginx.mjs
else
    # E2E_FILES: a subset while working on one part (make test runs them all)
    files=${E2E_FILES:-$(ls tests/e2e/*.test.mjs | grep -v browser.test.mjs)}
    node --test --test-concurrency=1 $files
fi
