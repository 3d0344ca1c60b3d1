#!/usr/bin/env bash
# vendor-web.sh — copies the browser libraries the web UI serves from
# node_modules (installed from package-lock.json by `npm ci`) into
# web/vendor/, with their licence files. The copies are committed: the server
# serves web/ as it is, and the CSP (script-src 'self') allows no CDN.
#
#   npm ci && scripts/vendor-web.sh
#
# To move to another version: change the exact version in package.json
# (devDependencies), `npm install`, run this script, commit web/vendor/ and
# update the version in web/vendor/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

src=node_modules/echarts
if [ ! -f "$src/dist/echarts.esm.min.mjs" ]; then
    echo "vendor-web.sh: $src is missing; run npm ci first" >&2
    exit 1
fi
want=$(node -p "require('./package.json').devDependencies.echarts")
have=$(node -p "require('./$src/package.json').version")
if [ "$want" != "$have" ]; then
    echo "vendor-web.sh: package.json wants echarts $want but node_modules has $have; run npm ci" >&2
    exit 1
fi

dst=web/vendor/echarts
rm -rf "$dst"
mkdir -p "$dst"
# The ES module build (self-contained: zrender and tslib are bundled in it).
# Served as .js, the name the page module imports.
cp "$src/dist/echarts.esm.min.mjs" "$dst/echarts.esm.min.js"
cp "$src/LICENSE" "$dst/LICENSE"
[ -f "$src/NOTICE" ] && cp "$src/NOTICE" "$dst/NOTICE"
# Licences of what the bundle contains besides ECharts itself.
for f in "$src"/licenses/LICENSE-*; do
    [ -f "$f" ] && cp "$f" "$dst/"
done
[ -f node_modules/zrender/LICENSE ] && cp node_modules/zrender/LICENSE "$dst/LICENSE-zrender"
[ -f node_modules/tslib/LICENSE.txt ] && cp node_modules/tslib/LICENSE.txt "$dst/LICENSE-tslib"
printf '%s\n' "$have" > "$dst/VERSION"
echo "vendored echarts $have into $dst:"
ls -l "$dst"
