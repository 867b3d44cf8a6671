#!/usr/bin/env bash
# The gaussian preset against its closed-form coupling at several dimensions and seeds: each (d, seed) is trained,
# 20,000 fresh pairs are sampled (`dsb sample --pairs`, noise on every step) and scored by `dsb eval`; one line per
# run with the worst entry of each bar (all must be <= 0.05): |mean + 0.1| and |var - 1| over the data-end
# coordinates, |C - C*| over the diagonal and over the off-diagonal entries of the cross-covariance, and the
# training's wall-clock seconds (JVM start and the per-iteration evaluation included). Usage (repository root):
#   bench/scripts/gaussian-seeds.sh OUT_DIR "DIMS" "SEEDS" [train options...]
#   e.g. taskset -c 0 bench/scripts/gaussian-seeds.sh runs/gs "10 5 3" "913 2718" --threads 1
# Runs one at a time; pass --threads (and pin with taskset) to keep to the cores you mean to use.
set -euo pipefail
out=$1; dims=$2; seeds=$3
shift 3
mkdir -p "$out"
printf '%-4s %-8s %9s %9s %9s %9s %8s %s\n' d seed mean_err var_err cc_diag cc_offd train_s verdict
for d in $dims; do
  for s in $seeds; do
    run="$out/gauss-d$d-s$s"
    start=$(date +%s.%N)
    ./dsb train --preset gaussian --dim "$d" --seed "$s" --out "$run" "$@" > "$run.log" 2>&1
    secs=$(python3 -c "print('%.0f' % ($(date +%s.%N) - $start))")
    ./dsb sample --checkpoint "$run" --n 20000 --pairs --out "$run/pairs.npy" --threads 1 >> "$run.log" 2>&1
    ./dsb eval --preset gaussian --dim "$d" --samples "$run/pairs.npy" 2>> "$run.log" > "$run/eval.json"
    python3 - "$run/eval.json" "$d" "$s" "$secs" <<'PY'
import json, sys
m = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
e = [m["mean_data_error"], m["var_data_error"], m["cross_cov_error"], m["cross_cov_offdiag_error"]]
print("%-4s %-8s %9.4f %9.4f %9.4f %9.4f %8s %s" % (sys.argv[2], sys.argv[3], *e, sys.argv[4],
      "ok" if max(e) <= 0.05 else "FAIL"), flush=True)
PY
  done
done
