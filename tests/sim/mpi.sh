#!/usr/bin/env bash
# mpi.sh CYBERINS [CYBERINS_MPI] — validation (c) of the simulation across
# processes: `cyberins simulate` on the demo portfolio with 1 thread, with 2
# threads, and as 2 MPI ranks (cyberins-mpi under mpirun) must write
# byte-identical result files, the year loss table first of all.
# Exits 77 (skipped) when mpirun is absent or cyberins-mpi was not built
# (configure with cmake -DCY_MPI=ON; Debian packages openmpi-bin libopenmpi-dev).
set -euo pipefail
bin=${1:?path to cyberins}
mpibin=${2:-}
if ! command -v mpirun >/dev/null 2>&1; then
    echo "mpirun not found: skipped (apt-get install openmpi-bin libopenmpi-dev)"
    exit 77
fi
if [ -z "$mpibin" ] || [ ! -x "$mpibin" ]; then
    echo "cyberins-mpi not built: skipped (configure with cmake -DCY_MPI=ON)"
    exit 77
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# OpenMPI refuses root unless told; CI and containers run as root
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
args=(simulate --years 4000 --seed 42 --portfolio "$root/data/demo/portfolio.csv"
      --catalogue "$root/data/catalogue" --data "$root/data" --quiet)
"$bin" "${args[@]}" --threads 1 --out "$work/one"
"$bin" "${args[@]}" --threads 2 --out "$work/two"
mpirun -np 2 --oversubscribe "$mpibin" "${args[@]}" --threads 1 --out "$work/mpi"
for f in ylt.csv summary.json ep.csv breakdown.csv events.csv policies.csv; do
    cmp "$work/one/$f" "$work/two/$f"
    cmp "$work/one/$f" "$work/mpi/$f"
done
echo "1 thread, 2 threads and 2 MPI ranks wrote identical files ($(wc -l <"$work/one/ylt.csv") lines of ylt.csv)"
