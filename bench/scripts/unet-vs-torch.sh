#!/usr/bin/env bash
# U-Net training steps (batch 32: forward, MSE loss, backward, clip, Adam) of dsb4j and of PyTorch, alternated in
# the same minutes so that the other jobs on a shared machine weigh on both alike. Needs bench/target/benchmarks.jar
# (mvn -o package) and Debian's python3-torch + libopenblas0-pthread. Usage:
#   bash bench/scripts/unet-vs-torch.sh [rounds] [configs] [threads]     # defaults: 2 "tiny28 small28" "1 2"
# The AVX2 code paths of both on an AVX-512 machine:
#   DSB_JAVA_OPTS=-XX:UseAVX=2 ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell ONEDNN_MAX_CPU_ISA=AVX2 \
#       bash bench/scripts/unet-vs-torch.sh
# (PyTorch's convolutions run in oneDNN, which ignores ATEN_CPU_CAPABILITY and keeps to AVX2 only when told by
# ONEDNN_MAX_CPU_ISA; without it they ran its avx512_core kernels.)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}; configs=${2:-"tiny28 small28"}; threads=${3:-"1 2"}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
for r in $(seq "$rounds"); do
  for c in $configs; do
    steps=50; [ "$c" = tiny28 ] || steps=30
    for t in $threads; do
      "$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC ${DSB_JAVA_OPTS:-} -cp bench/target/benchmarks.jar \
          dsb4j.bench.UNetStepLoop "$c" 32 "$t" "$steps" 2>/dev/null | sed 's/^/dsb4j   /'
      OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/train_step.py --model unet --config "$c" --batch 32 \
          --threads "$t" 2>/dev/null | tail -1 | sed 's/^/pytorch /'
    done
  done
done
