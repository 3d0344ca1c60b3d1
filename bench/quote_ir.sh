#!/usr/bin/env bash
# bench/quote_ir.sh CYBERINS [N] — instructions per indicative quote, counted by
# callgrind (repeatable where the clock is not): a server of that binary on a
# fresh demo database (SQLite, --threads 1) under valgrind answers N (1000)
# indicative quotes sent one after another over one keep-alive connection
# (the bodies of bench/quote.lua's mix); the instructions of its
# libmicrohttpd worker thread (the thread with the most) divided by N.
# valgrind hides AVX-512 and counts rep stosb once per byte: compare builds
# with each other, not with cycles. KEEP=FILE keeps the worker's profile
# (callgrind_annotate FILE). Not part of make test.
set -euo pipefail
bin=$(readlink -f "${1:?cyberins binary}")
n=${2:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
w=$(mktemp -d)
trap 'kill "${vp:-}" 2>/dev/null || true; rm -rf "$w"' EXIT
command -v valgrind >/dev/null || { echo "valgrind missing" >&2; exit 1; }
db="sqlite:$w/db"
"$bin" demo --db "$db" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
up() { for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done; echo "server did not start" >&2; exit 1; }
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --test-clock >"$w/setup.out" 2>&1 &
vp=$!
up
python3 "$root/bench/quote_setup.py" "http://127.0.0.1:$port" >"$w/env"
kill "$vp"; wait "$vp" 2>/dev/null || true
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$w/cg.out" \
    "$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads 1 --test-clock \
    --access-log "$w/access.log" >"$w/serve.out" 2>&1 &
vp=$!
up
python3 - "$port" "$n" "$w/env" <<'PY'
import http.client, json, random, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
env = dict(l.strip().split("=", 1) for l in open(sys.argv[3]) if "=" in l)
random.seed(20250101)
limits, retentions = env["LIMITS"].split(","), env["RETENTIONS"].split(",")
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Content-Type": "application/json", "Authorization": "Bearer " + env["INSURER_TOKEN"]}
for i in range(n):
    body = json.dumps({"indicative": True, "product_id": int(env["PRODUCT"]),
                       "industry": chr(65 + random.randrange(20)),
                       "revenue": random.randrange(500000000, 1000000000000),
                       "grade": "ABCDE"[random.randrange(5)],
                       "aggregate_limit": int(random.choice(limits)),
                       "retention": int(random.choice(retentions))})
    c.request("POST", "/api/v1/quotes", body, h)
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit("answer %d to quote %d" % (r.status, i + 1))
PY
kill -INT "$vp"; wait "$vp" 2>/dev/null || true
vp=
best=0
for f in "$w"/cg.out-*; do
    t=$(awk '/^(summary|totals):/ {print $2; exit}' "$f")
    if [ "${t:-0}" -gt "$best" ]; then best=$t; bf=$f; fi
done
echo "$(basename "$bin"): $((best / n)) instructions a request (worker thread, $n indicative quotes)"
[ -z "${KEEP:-}" ] || cp "$bf" "$KEEP"
