#!/usr/bin/env bash
# SGEMM speed report, one sitting, pinned to one core: the FP32 FMA peak (FmaPeakBench), dsb4j's SGEMM at
# 256³ / 512³ / 1024³ on 1 thread (GemmBench; this build's jar, and a "before" jar if given) and NumPy/OpenBLAS on
# the same core, each with the JVM's default ISA and with -XX:UseAVX=2 (OpenBLAS: its own choice, and
# OPENBLAS_CORETYPE=Haswell, its AVX2 kernels), repeated ROUNDS times; prints every figure with its range and the
# ratios ours / OpenBLAS and ours / FMA peak.
#
#   bash bench/scripts/speed-report.sh                       # needs bench/target/benchmarks.jar (mvn -q -DskipTests package -pl bench -am)
#   BEFORE=/tmp/before.jar ROUNDS=3 CORE=1 bash bench/scripts/speed-report.sh
#
# Environment: JAR (default bench/target$SUFFIX/benchmarks.jar), BEFORE (a benchmarks.jar built from an earlier
# commit: `git stash` or a checkout of it, the same mvn command, copy the jar), ROUNDS (2), CORE (1), ISAS
# ("default avx2"), SIZES ("256 512 1024"), JAVA (a JDK >= 25's java; found like ./dsb finds it), PYTHON
# (/usr/bin/python3, with python3-numpy and libopenblas0-pthread installed). Figures are GFLOP/s: for JMH the best
# and the median of 10 iterations of 0.3 s, for NumPy of 10 samples of about 0.3 s. The machine may be shared:
# compare within one sitting, and look at the spread between rounds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ -z "${JAVA:-}" ]; then
  . "$root/.ci/find-jdk.sh"
  JAVA="$(find_jdk)/bin/java"
fi
JAR=${JAR:-bench/target${SUFFIX:-}/benchmarks.jar}
BEFORE=${BEFORE:-}
ROUNDS=${ROUNDS:-2}
CORE=${CORE:-1}
ISAS=${ISAS:-default avx2}
SIZES=${SIZES:-256 512 1024}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -f "$JAR" ] || { echo "speed-report: no $JAR: mvn -q -DskipTests package -pl bench -am" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pin="taskset -c $CORE"
shapes=$(for s in $SIZES; do printf '%sx%sx%s,' "$s" "$s" "$s"; done); shapes=${shapes%,}

flag() { [ "$1" = avx2 ] && echo "-XX:UseAVX=2" || echo ""; }

# JMH iterations -> "KEY shape best median" lines (GFLOP/s from us/op)
gemm() { # label jar isa
  $pin "$JAVA" -jar "$2" GemmBench -p shape="$shapes" -p threads=1 -wi 4 -w 500ms -i 10 -r 300ms -f 1 \
    -jvmArgsAppend "--add-modules jdk.incubator.vector $(flag "$3")" 2>&1 | tee -a "$out/raw.txt" | "$PYTHON" -c '
import re, sys
label = sys.argv[1]; sh = None; v = []
for line in sys.stdin:
    m = re.search(r"shape = ([0-9x]+)", line)
    if line.startswith("# Parameters") and m: sh = m.group(1); v = []
    if line.startswith("# machine:"): print("INFO", label, line.strip()[2:])
    if line.startswith("Iteration"): v.append(float(line.split()[2]))
    if line.startswith("Result") and sh and v:
        d = [int(x) for x in sh.split("x")]; f = 2.0 * d[0] * d[1] * d[2] / 1e3; v.sort()
        print("GEMM", label, d[0], "%.1f" % (f / v[0]), "%.1f" % (f / v[len(v) // 2]))
' "$1" >> "$out/results.txt"
}

peak() { # isa
  $pin "$JAVA" -jar "$JAR" FmaPeakBench -wi 2 -w 500ms -i 8 -r 500ms -f 1 \
    -jvmArgsAppend "--add-modules jdk.incubator.vector $(flag "$1")" 2>&1 | tee -a "$out/raw.txt" | "$PYTHON" -c '
import sys
isa = sys.argv[1]; num = None; v = []
for line in sys.stdin:
    if line.startswith("# machine:"): print("INFO peak-" + isa, line.strip()[2:])
    if line.startswith("FmaPeakBench:"): num = float(line.split("=")[1].split("/")[0])
    if line.startswith("Iteration"): v.append(float(line.split()[2]))
v.sort()
if num and v: print("PEAK", isa, "%.1f" % (num / v[0]), "%.1f" % (num / v[len(v) // 2]))
' "$1" >> "$out/results.txt"
}

blas() { # label coretype
  local env=(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
  [ -n "$2" ] && env+=(OPENBLAS_CORETYPE="$2")
  env "${env[@]}" $pin "$PYTHON" bench/scripts/numpy_gemm.py $SIZES 2>&1 | tee -a "$out/raw.txt" | \
    awk -v l="$1" '/^numpy/ { print "BLAS", l, $2, $4, $6, $NF }' >> "$out/results.txt"
}

echo "speed-report: $(date -u +%FT%TZ), core $CORE, $ROUNDS rounds, jar $JAR${BEFORE:+, before $BEFORE}"
grep -m1 "model name" /proc/cpuinfo || true
uptime
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: FMA peak, GEMM, OpenBLAS ($(uptime | sed 's/.*load/load/'))"
  for isa in $ISAS; do
    peak "$isa"
    gemm "after-$isa" "$JAR" "$isa"
    [ -n "$BEFORE" ] && gemm "before-$isa" "$BEFORE" "$isa"
  done
  blas default ""
  [[ " $ISAS " == *" avx2 "* ]] && blas haswell Haswell
done
uptime

"$PYTHON" - "$out/results.txt" "$ISAS" "$SIZES" <<'PY'
import sys
from collections import defaultdict
res, isas, sizes = sys.argv[1], sys.argv[2].split(), [int(s) for s in sys.argv[3].split()]
g = defaultdict(list); p = defaultdict(list); b = defaultdict(list); core = {}; info = {}
for line in open(res):
    f = line.split()
    if f[0] == "GEMM": g[(f[1], int(f[2]))].append((float(f[3]), float(f[4])))
    elif f[0] == "PEAK": p[f[1]].append((float(f[2]), float(f[3])))
    elif f[0] == "BLAS": b[(f[1], int(f[2]))].append((float(f[3]), float(f[4]))); core[f[1]] = f[5]
    elif f[0] == "INFO": info.setdefault(f[1], " ".join(f[2:]))
def rng(xs, i):
    v = [x[i] for x in xs]
    return ("%.0f" % v[0]) if len(v) == 1 or min(v) == max(v) else "%.0f–%.0f" % (min(v), max(v))
def mid(xs):  # median over rounds of the per-round medians
    v = sorted(x[1] for x in xs); return v[len(v) // 2]
print()
for k, v in info.items(): print(k + ": " + v)
for isa in isas:
    blasKey = "haswell" if isa == "avx2" else "default"
    pk = p.get(isa, [])
    print("\n== ISA %s: FMA peak %s GFLOP/s (median per round), best %s; OpenBLAS core %s" % (
        isa, rng(pk, 1) if pk else "?", rng(pk, 0) if pk else "?", core.get(blasKey, "?")))
    print("| size | dsb4j after: median (best) | dsb4j before: median (best) | OpenBLAS: median (best) | after / OpenBLAS | after / FMA peak |")
    print("|---|---|---|---|---|---|")
    for s in sizes:
        a = g.get(("after-" + isa, s), []); bf = g.get(("before-" + isa, s), []); o = b.get((blasKey, s), [])
        cell = lambda xs: "%s (%s)" % (rng(xs, 1), rng(xs, 0)) if xs else "–"
        ratio = "%.2f" % (mid(a) / mid(o)) if a and o else "–"
        ratioPk = "%.0f %%" % (100 * mid(a) / mid(pk)) if a and pk else "–"
        print("| %d³ | %s | %s | %s | %s | %s |" % (s, cell(a), cell(bf), cell(o), ratio, ratioPk))
PY
