#!/usr/bin/env bash
# run.sh MODE BIN — start a real cyberins server and run the end-to-end suite
# against it. MODE is sqlite, postgresql (a throwaway cluster, started here and
# torn down on exit, also when a test fails) or browser (headless Debian
# Chromium through playwright-core).
#
# The cluster lives in its own mktemp -d /tmp/cyberins-pg-XXXXXX, not under the
# build folder: as root the server runs as the postgres user, who cannot enter
# a checkout under /root, and a Unix-socket path must stay under 108 bytes
# whatever the checkout path is. Each run gets its own folder and port, so
# e2e-postgresql and asan/e2e-postgresql run side by side (ctest -j 2).
set -euo pipefail
mode=${1:?mode: sqlite|postgresql|browser}
bin=$(readlink -f "${2:?path to the cyberins binary}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(dirname "$bin")
work=$(mktemp -d "$build/e2e-$mode-$(basename "$bin")-XXXXXX")
chmod 755 "$work"
server_pid=""
pg_started=""
pgwork=""

as_pg() {
    # PostgreSQL refuses to run as root: run its tools as the postgres user then,
    # from / (the current folder may be one postgres cannot enter)
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

cleanup() {
    local rc=$?
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        # wait for a clean stop so sanitizer reports are written
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || rc_server=$?
        if [ "${rc_server:-0}" -ne 0 ] && [ "$rc" -eq 0 ]; then
            echo "server exited with status ${rc_server}" >&2
            rc=1
        fi
    fi
    if [ -n "$pg_started" ]; then
        as_pg "$pgbin/pg_ctl" -D "$pgwork/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$pgwork" ]; then
        # keep the PostgreSQL log with the rest of the run's output
        cp "$pgwork/pg.log" "$work/pg.log" 2>/dev/null || true
        rm -rf "$pgwork"
    fi
    if [ "$rc" -ne 0 ]; then
        echo "--- server output ($work) ---" >&2
        tail -n 50 "$work/server.out" 2>/dev/null >&2 || true
        [ -f "$work/pg.log" ] && tail -n 20 "$work/pg.log" >&2
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
postgresql)
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
: >"$work/server.out"
# webhooks: the suite's receivers listen on 127.0.0.1, and retries come quickly
serve_flags=(--threads 2 --trusted-proxy 127.0.0.1 --test-clock --webhook-allow-private --webhook-retry 1 --webhook-attempts 4)
"$bin" serve --listen 127.0.0.1:0 "${serve_flags[@]}" --access-log "$work/access.log" >"$work/server.out" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 200); do
    url=$(sed -n 's/.*serving \(http:[^ ]*\)\/ .*/\1/p' "$work/server.out" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "server did not start" >&2; exit 1; }
export BASE_URL="$url" E2E_MODE="$mode" E2E_WORK="$work" E2E_ACCESS_LOG="$work/access.log"
# the server's process (its memory is measured) and its flags (a test starts a second server)
export E2E_SERVER_PID="$server_pid" E2E_SERVE_FLAGS="${serve_flags[*]}"

cd "$root"
if [ "$mode" = browser ]; then
    node --test --test-concurrency=1 tests/e2e/browser.test.mjs
else
    # E2E_FILES: a subset while working on one part (make test runs them all)
    files=${E2E_FILES:-$(ls tests/e2e/*.test.mjs | grep -v browser.test.mjs)}
    node --test --test-concurrency=1 $files
fi
