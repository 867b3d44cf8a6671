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
# (/usr/bin/python3, with python3-numpy and libopenblas0-pthread installed), OUT (a folder for raw.txt and
# results.txt; a temporary one by default). Figures are GFLOP/s: for JMH the best and the median of 10 iterations
# of 0.3 s; for GemmLoop and NumPy of 10 samples of about 0.3 s, both by the clock and by the thread's CPU time.
# The machine may be shared: the CPU time leaves out the time another job held the core (not its use of the
# caches), so the ratios are taken from it; compare within one sitting, and look at the spread between rounds.
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
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"; : > "$out/results.txt"; : > "$out/raw.txt"
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

# GemmLoop: the same products (and the FMA peak) by the clock and by the thread's CPU time -> "LOOP label size
# wall-best wall-median cpu-best cpu-median" lines. A "before" jar runs with this jar behind it on the class path
# (GemmLoop is newer than it; Sgemm comes from the before jar).
loop() { # label classpath isa what...
  local label=$1 cp=$2 isa=$3; shift 3
  $pin "$JAVA" --add-modules jdk.incubator.vector $(flag "$isa") -cp "$cp" dsb4j.bench.GemmLoop "$@" 2>&1 \
    | tee -a "$out/raw.txt" | awk -v l="$label" '/^gemmloop/ { print "LOOP", l, $2, $4, $6, $8, $10 }' >> "$out/results.txt"
}

blas() { # label coretype
  local env=(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
  [ -n "$2" ] && env+=(OPENBLAS_CORETYPE="$2")
  env "${env[@]}" $pin "$PYTHON" bench/scripts/numpy_gemm.py $SIZES 2>&1 | tee -a "$out/raw.txt" | \
    awk -v l="$1" '/^numpy/ { print "BLAS", l, $2, $4, $6, $8, $10, $NF }' >> "$out/results.txt"
}

echo "speed-report: $(date -u +%FT%TZ), core $CORE, $ROUNDS rounds, jar $JAR${BEFORE:+, before $BEFORE}"
grep -m1 "model name" /proc/cpuinfo || true
uptime
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: FMA peak, GEMM, OpenBLAS ($(uptime | sed 's/.*load/load/'))"
  for isa in $ISAS; do
    peak "$isa"
    gemm "after-$isa" "$JAR" "$isa"
    loop "after-$isa" "$JAR" "$isa" peak $SIZES
    if [ -n "$BEFORE" ]; then
      gemm "before-$isa" "$BEFORE" "$isa"
      loop "before-$isa" "$BEFORE:$JAR" "$isa" $SIZES
    fi
  done
  blas default ""
  [[ " $ISAS " == *" avx2 "* ]] && blas haswell Haswell
done
uptime

"$PYTHON" - "$out/results.txt" "$ISAS" "$SIZES" <<'PY'
import sys
from collections import defaultdict
res, isas, sizes = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
g = defaultdict(list); p = defaultdict(list); lp = defaultdict(list); b = defaultdict(list); core = {}; info = {}
for line in open(res):
    f = line.split()
    if f[0] == "GEMM": g[(f[1], f[2])].append((float(f[3]), float(f[4])))
    elif f[0] == "PEAK": p[f[1]].append((float(f[2]), float(f[3])))
    elif f[0] == "LOOP": lp[(f[1], f[2])].append(tuple(float(x) for x in f[3:7]))
    elif f[0] == "BLAS":
        b[(f[1], f[2])].append(tuple(float(x) for x in f[3:7])); core[f[1]] = f[7]
    elif f[0] == "INFO": info.setdefault(f[1], " ".join(f[2:]))
def rng(xs, i):
    v = [x[i] for x in xs]
    if not v: return "–"
    return ("%.0f" % v[0]) if min(v) == max(v) else "%.0f–%.0f" % (min(v), max(v))
def mid(xs, i):  # median over the rounds
    v = sorted(x[i] for x in xs); return v[(len(v) - 1) // 2] if v else None
def cell(xs, med, best):
    return "%s (%s)" % (rng(xs, med), rng(xs, best)) if xs else "–"
def ratio(x, y, pct=False):
    if x is None or y is None: return "–"
    return "%.0f %%" % (100 * x / y) if pct else "%.2f" % (x / y)
print()
for k, v in info.items(): print(k + ": " + v)
print("\nGFLOP/s, 1 thread; each cell: the range over the rounds of the median (and of the best) sample; clock = JMH")
print("GemmBench / wall time of numpy_gemm.py, CPU = the thread's CPU time (GemmLoop, numpy_gemm.py). Ratios: medians")
print("over the rounds of the CPU-time medians.")
for isa in isas:
    bk = "haswell" if isa == "avx2" else "default"
    pk = p.get(isa, []); lpk = lp.get(("after-" + isa, "peak"), [])
    print("\n== ISA %s: FMA peak (FmaPeakBench, clock) %s; by CPU time %s; OpenBLAS core %s" % (
        isa, cell(pk, 1, 0), cell(lpk, 3, 2), core.get(bk, "?")))
    print("| size | dsb4j after: clock | after: CPU | dsb4j before: clock | before: CPU | OpenBLAS: clock | OpenBLAS: CPU | after / OpenBLAS | before / OpenBLAS | after / FMA peak |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in sizes:
        a = g.get(("after-" + isa, s), []); bf = g.get(("before-" + isa, s), [])
        la = lp.get(("after-" + isa, s), []); lb = lp.get(("before-" + isa, s), []); o = b.get((bk, s), [])
        print("| %s³ | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            s, cell(a, 1, 0), cell(la, 3, 2), cell(bf, 1, 0), cell(lb, 3, 2), cell(o, 1, 0), cell(o, 3, 2),
            ratio(mid(la, 3), mid(o, 3)), ratio(mid(lb, 3), mid(o, 3)), ratio(mid(la, 3), mid(lpk, 3), True)))
PY
echo "raw output: $out/raw.txt"
