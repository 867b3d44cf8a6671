#!/usr/bin/env bash
# Throughput of data-parallel training on one machine (docs/distributed.md "Measured here"): a preset's IPF iteration
# trained as 1 process × 2 threads, 1 process × 1 thread, and 2 MPI ranks × 1 thread with the same global batch
# (each rank half the batch and half the cache) and with twice the global batch (each rank the whole batch).
#   [MPIRUN_OPTS="--bind-to none"] bench/scripts/mpi-throughput.sh [preset] [iters] [extra train options...]
# Prints, per setting, the steps per second and the rows per second (global batch × steps/s) of each half-step
# (cache builds included, evaluation not), and for the ranks the time they spent in collectives (waiting included).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
preset=${1:-moons}; iters=${2:-300}; shift $(( $# > 2 ? 2 : $# )) || true
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp -d)
batch=$("$root/dsb" train --preset "$preset" --dry-run "$@" | sed -n 's/^config .*"batch":\([0-9]*\).*/\1/p')
cache=$("$root/dsb" train --preset "$preset" --dry-run "$@" | sed -n 's/^config .*"cache_trajectories":\([0-9]*\).*/\1/p')
report() {   # name, global batch, run folder
  python3 - "$1" "$2" "$3/metrics.jsonl" <<'PY'
import json, sys
name, b = sys.argv[1], int(sys.argv[2])
for l in open(sys.argv[3]):
    r = json.loads(l)
    print(f"{name:34s} {r['direction']:8s} {r['it_per_s']:7.1f} steps/s  {r['it_per_s'] * b:9.0f} rows/s")
PY
}
common=(train --preset "$preset" --ipf-iters 1 --iters "$iters" "$@")
"$root/dsb" "${common[@]}" --threads 2 --out "$out/a" >/dev/null && report "1 process x 2 threads, B=$batch" "$batch" "$out/a"
"$root/dsb" "${common[@]}" --threads 1 --out "$out/d" >/dev/null && report "1 process x 1 thread, B=$batch" "$batch" "$out/d"
DSB_JAVA_OPTS=-Ddsb4j.mpi.stats=true mpirun -np 2 ${MPIRUN_OPTS:-} "$root/dsb" "${common[@]}" --threads 1 --batch $((batch / 2)) --cache-trajectories $((cache / 2)) --out "$out/b" >/dev/null \
  && report "2 ranks x 1 thread, B=2x$((batch / 2))" "$batch" "$out/b"
DSB_JAVA_OPTS=-Ddsb4j.mpi.stats=true mpirun -np 2 ${MPIRUN_OPTS:-} "$root/dsb" "${common[@]}" --threads 1 --out "$out/c" >/dev/null && report "2 ranks x 1 thread, B=2x$batch" "$((2 * batch))" "$out/c"
rm -rf "$out"
