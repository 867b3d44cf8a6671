#!/usr/bin/env bash
# Trains each listed preset with its default (quick) budget and prints a Markdown table of the metrics per IPF
# iteration, from each run's metrics.jsonl. Usage (from the repository root):
#   bench/scripts/presets-report.sh [OUT_DIR] [PRESET...]       # default: runs/report, all 2-D presets
set -euo pipefail
out=${1:-runs/report}; shift || true
presets=("$@"); [ ${#presets[@]} -gt 0 ] || presets=(moons circles 8gaussians checkerboard swissroll scurve moons-to-circles)
mkdir -p "$out"
for p in "${presets[@]}"; do
  start=$(date +%s)
  ./dsb train --preset "$p" --out "$out/$p" > "$out/$p.log" 2>&1
  echo "$p: $(( $(date +%s) - start )) s wall" >> "$out/times.txt"
done
python3 - "$out" "${presets[@]}" <<'PY'
import json, sys
out, presets = sys.argv[1], sys.argv[2:]
times = dict(l.split(': ') for l in open(f"{out}/times.txt").read().splitlines())
for p in presets:
    rows = [json.loads(l) for l in open(f"{out}/{p}/metrics.jsonl")]
    cfg = json.load(open(f"{out}/{p}/config.json"))
    print(f"\n**{p}** — K={cfg['ipf_iters']}, I={cfg['iters']}, B={cfg['batch']}, N={cfg['steps']}, "
          f"lr={cfg['lr']} ({cfg['lr_schedule']}), {times[p].strip()} on {cfg['threads']} threads; target sd {rows[1]['target_sd']:.2f}\n")
    print("| IPF | W2 | W2/sd | sliced W2 | SW2/sd | MMD² | energy | prior-end SW2 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r['direction'] != 'forward': continue
        print(f"| {r['ipf']} | {r['w2']:.3f} | {r['w2_rel']:.3f} | {r['sw2']:.3f} | {r['sw2_rel']:.3f} | {r['mmd']:.4f} | {r['energy']:.3f} | {r['prior_sw2']:.3f} |")
PY
