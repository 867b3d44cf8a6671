#!/usr/bin/env bash
# One 2-D benchmark preset trained at several seeds, each run scored alone and all of them as one ensemble
# (`dsb sample` with one --checkpoint per run: generation with the runs' average drift). Exact W2 between 10,000
# generated and 10,000 fresh target points (about a minute per assignment). Usage (from the repository root):
#   bench/scripts/ensemble2d.sh OUT_DIR PRESET "SEEDS" [train options...]
#   e.g. bench/scripts/ensemble2d.sh runs/ens normal-to-moons "42 7 8" --method dsbm-imf --iters 6000
set -euo pipefail
out=$1; preset=$2; seeds=$3
shift 3
mkdir -p "$out"
w2() { ./dsb eval --preset "$preset" --samples "$1" --w2-points 10000 2>/dev/null | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["w2"])'; }
runs=()
for s in $seeds; do
  d="$out/$preset-s$s"
  start=$(date +%s)
  ./dsb train --preset "$preset" --seed "$s" --out "$d" "$@" > "$d.log" 2>&1
  echo "seed $s trained in $(( $(date +%s) - start )) s"
  ./dsb sample --checkpoint "$d" --n 10000 --out "$d/generated.npy" > /dev/null 2>> "$d.log"
  echo "seed $s alone: W2 $(w2 "$d/generated.npy")"
  runs+=(--checkpoint "$d")
done
./dsb sample "${runs[@]}" --n 10000 --out "$out/$preset-ensemble.npy" > /dev/null 2>> "$out/$preset-ensemble.log"
echo "ensemble of seeds $seeds: W2 $(w2 "$out/$preset-ensemble.npy")"
