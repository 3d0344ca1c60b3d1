#!/usr/bin/env bash
# run.sh BIN NAME SECONDS WORK [libFuzzer options...] — run one harness of
# tests/fuzz for SECONDS over its seed corpus tests/fuzz/corpus/NAME (read
# only), keeping what it learns in WORK/NAME/corpus and what crashes in
# WORK/NAME/artifacts (sanitizer reports too, as sanitizer.PID, printed when
# the run fails); tests/fuzz/NAME.dict is its dictionary and
# tests/fuzz/NAME.options holds more libFuzzer options, when present.
# Exits non-zero on a crash, a sanitizer report, a leak or a timeout.
set -euo pipefail
bin=${1:?harness binary}
name=${2:?harness name}
secs=${3:?seconds}
work=${4:?work folder}
shift 4
here=$(cd "$(dirname "$0")" && pwd)
seeds=$here/corpus/$name
[ -d "$seeds" ] || { echo "run.sh: no seed corpus $seeds" >&2; exit 1; }
mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
rm -f "$work/$name/artifacts"/sanitizer.*
opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
      -artifact_prefix="$work/$name/artifacts/")
[ -f "$here/$name.dict" ] && opts+=(-dict="$here/$name.dict")
[ -f "$here/$name.options" ] && read -r -a more < "$here/$name.options" && opts+=("${more[@]}")
# reports to files: a harness may close its stderr (-close_fd_mask=2) to quiet a chatty library
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$work/$name/artifacts/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$work/$name/artifacts/sanitizer:print_stacktrace=1"
rc=0
"$bin" "${opts[@]}" "$@" "$work/$name/corpus" "$seeds" || rc=$?
if [ "$rc" -ne 0 ]; then
    cat "$work/$name/artifacts"/sanitizer.* 2>/dev/null >&2 || true
fi
exit "$rc"
