#!/usr/bin/env bash
# install-deps.sh — installs what cyberins needs on Debian 12, and only what
# is missing (idempotent). As root it runs apt-get itself; otherwise it prints
# the exact command to run and stops. Then it installs the npm packages
# (playwright-core, echarts) from package-lock.json when node_modules is out of
# date (not through a node_modules that is a link to another checkout's: npm ci
# would empty the other checkout's folder). Documents (src/doc/) need libxml2,
# libzip and libxlsxwriter to write DOCX/XLSX, LibreOffice (no GUI) to make
# PDFs and to read them back in tests, the Noto CJK fonts to render Chinese,
# and poppler-utils (pdfinfo, pdftotext) for the tests. The fuzz harnesses
# (tests/fuzz) need clang with its libFuzzer and sanitizer runtimes and its
# OpenMP runtime. nginx is for the test of two servers behind it (e2e-nginx;
# the test starts its own, as the user running it, on a free port). README.md
# (Requirements) lists what it installs: keep both in step.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential cmake pkg-config clang-format
    clang libclang-rt-14-dev libomp-14-dev
    libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
    libcurl4-openssl-dev
    libcmocka-dev librandom123-dev openmpi-bin libopenmpi-dev
    libxml2-dev libzip-dev libxlsxwriter-dev
    libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils
    postgresql sqlite3 nginx unzip
    chromium
    wrk curl
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "cyberins needs these Debian packages; run as root:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        echo "then run the same command again as yourself (it installs the npm packages)." >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # the cluster and the nginx the packages start are not used: tests start their own
    if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
        (command -v invoke-rc.d >/dev/null && invoke-rc.d nginx stop) >/dev/null 2>&1 || true
    fi
    if command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
            pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
        done
    fi
fi

# npm packages: only when package-lock.json changed since the last install
if [ -L node_modules ]; then
    echo "node_modules is a link to $(readlink node_modules): run npm ci there if it is stale"
elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
