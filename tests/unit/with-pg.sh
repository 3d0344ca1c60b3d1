#!/usr/bin/env bash
# with-pg.sh BIN [ARGS...] — run a unit test binary against a throwaway
# PostgreSQL cluster: initdb in a short folder under /tmp (its unix socket's
# path must stay short), start it on that socket only, create a database,
# run BIN with CYBERINS_TEST_PG naming it, and tear the cluster down on exit,
# also when the test fails. PostgreSQL refuses to run as root: its tools run
# as the postgres user then (as tests/e2e/run.sh does).
set -euo pipefail
bin=$(readlink -f "${1:?path to the test binary}")
shift
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server not installed (run scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/cy-pg-XXXXXX)
chmod 755 "$work"
started=""

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    local rc=$?
    if [ -n "$started" ]; then
        as_pg "$pgbin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "$rc" -ne 0 ] && [ -f "$work/pg.log" ]; then
        tail -n 20 "$work/pg.log" >&2
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "$pgbin/initdb" -D "$work/data" -U cyberins --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
    as_pg "$pgbin/initdb" -D "$work/data" -U cyberins --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1
as_pg "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -t 60 \
    -o "-p 5432 -k $work -c listen_addresses='' -c fsync=off -c max_connections=40" start >/dev/null
started=1
as_pg "$pgbin/createdb" -h "$work" -p 5432 -U cyberins cyberins_test
export CYBERINS_TEST_PG="postgresql://cyberins@/cyberins_test?host=$work&port=5432"
"$bin" "$@"
