#!/usr/bin/env bash
# with-pg.sh TEST [ARGS...] — run a unit test against a throwaway PostgreSQL
# cluster: initdb under a temporary folder, start it on a free port, export
# CYBERINS_TEST_PG (a libpq URI to an empty database), run the test, and tear
# the cluster down on exit whatever happened. Tests that read CYBERINS_TEST_PG
# run their PostgreSQL cases (bytea, concurrent claims) only when it is set.
set -euo pipefail
test_bin=$(readlink -f "${1:?path to the test binary}")
shift
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server not installed (run scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cy-unit-pg-XXXXXX")
chmod 755 "$work"
started=""

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    local rc=$?
    [ -n "$started" ] && as_pg "$pgbin/pg_ctl" -D "$work/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    [ "$rc" -ne 0 ] && [ -f "$work/pg.log" ] && tail -n 20 "$work/pg.log" >&2
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "$pgbin/initdb" -D "$work/pgdata" -U cyberins --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/pg_ctl" -D "$work/pgdata" -l "$work/pg.log" -w -t 60 \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40" start >/dev/null
started=1
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U cyberins cyberins_unit
export CYBERINS_TEST_PG="postgresql://cyberins@127.0.0.1:$port/cyberins_unit"
"$test_bin" "$@"
