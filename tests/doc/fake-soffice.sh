#!/bin/sh
# fake-soffice.sh — a stand-in for LibreOffice's soffice in tests/unit/test_doc.c.
# It takes soffice's arguments, writes its environment to OUTDIR/env.txt and
# acts on the name of its first input: hang* starts a sleep (its pid in
# OUTDIR/hang.pid) and waits until it is killed; fail* prints an error and
# exits 3; silent* exits 0 and writes nothing; any other copies each input to
# OUTDIR/STEM.EXT as a conversion would, or to OUTDIR/STEM-Sheet1.EXT when
# the format ends in ",-1" (a CSV of every sheet).
outdir=
fmt=
while [ $# -gt 0 ]; do
    case "$1" in
    --outdir) outdir=$2; shift 2 ;;
    --convert-to) fmt=$2; shift 2 ;;
    -*) shift ;;
    *) break ;;
    esac
done
ext=${fmt%%:*}
env >"$outdir/env.txt"
case "$(basename "$1")" in
hang*)
    sleep 30 &
    echo $! >"$outdir/hang.pid"
    wait
    exit 0
    ;;
fail*)
    echo "Error: source file could not be loaded" >&2
    exit 3
    ;;
silent*) exit 0 ;;
esac
for f in "$@"; do
    b=$(basename "$f")
    case "$fmt" in
    *,-1) cp "$f" "$outdir/${b%.*}-Sheet1.$ext" ;;
    *) cp "$f" "$outdir/${b%.*}.$ext" ;;
    esac
done
