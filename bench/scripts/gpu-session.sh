#!/usr/bin/env bash
# Everything this project checks on a GPU host, in one call (device time is scarce): the CUDA test suite,
# `dsb train --device cuda` of the 2-D preset end to end, the kernel rates (GpuBench), and the DSB training
# throughput of the 2-D and MNIST presets beside PyTorch on the same GPU. Each part has its own time limit and
# log, so one failing part does not hide the others.
#
# Here, on the development machine:   bench/scripts/prepare-device.sh
# On the GPU host (the working tree and .device/ copied there), from the project root:
#   bash bench/scripts/gpu-session.sh [parts...]      parts: tests kernels train trainmnist bench2d benchmnist tf32
#                                                      (default: all; TORCH=0 skips the PyTorch twins,
#                                                      KERNEL_PARTS=steps times only the training steps)
# DEADLINE=<seconds> skips the parts that could end past it. Logs land in $OUT (or .device/out): tests.log, kernels.log, train.log, trainmnist.log, bench2d.log, benchmnist.log, tf32.log.
set -u
cd "$(dirname "$0")/../.."
out="${OUT:-.device/out}"; mkdir -p "$out"
parts="${*:-tests kernels train trainmnist bench2d benchmnist tf32}"
torch() { [ "${TORCH:-1}" = 1 ] && timeout "$@"; }
[ -x .device/jre/bin/java ] || tar xzf .device/jre.tgz -C .device
# the module jars, not the benchmark uber-jars (they hold their own copies of every class, maybe stale ones)
cp=$(ls .device/lib/*.jar | grep -v -e benchmarks.jar -e console-standalone | tr '\n' :)
J=(.device/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp")
J32=("${J[@]:0:3}" -Ddsb4j.cuda.tf32=true "${J[@]:3}")   # the same with TF32 tensor cores in cuBLAS
dsb=("${J[@]}" dsb4j.examples.Main)
deadline="${DEADLINE:-100000}"          # seconds: a part that could run past it is skipped (device time is short)
has() {                                   # has PART LIMIT: PART was asked for and fits before the deadline
  [[ " $parts " == *" $1 "* ]] || return 1
  (( SECONDS + $2 <= deadline )) || { echo "== $1 skipped: ${SECONDS}s gone, it may take $2s, deadline ${deadline}s"; return 1; }
}
step() { echo "== $1 ($(date +%T))"; }

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>&1 | tee "$out/gpu.txt"

if has tests 150; then
  step tests
  timeout 150 bash engine/src/test/resources/dsb4j/cuda/run-on-gpu.sh >"$out/tests.log" 2>&1
  echo "exit $?" >>"$out/tests.log"; grep -E "tests (successful|failed|skipped|found)|^exit|target gpu" "$out/tests.log" | head -12
fi
if has kernels 90; then
  step kernels
  timeout 90 "${J[@]}" dsb4j.bench.GpuBench cuda ${KERNEL_PARTS:-kernels steps build} >"$out/kernels.log" 2>&1; echo "exit $?" >>"$out/kernels.log"; cat "$out/kernels.log"
fi
if has train 100; then
  step train
  timeout 100 "${dsb[@]}" train --preset moons --budget quick --ipf-iters 3 --device cuda --out /tmp/moons-cuda >"$out/train.log" 2>&1
  echo "exit $?" >>"$out/train.log"; tail -6 "$out/train.log"
  cp /tmp/moons-cuda/metrics.jsonl "$out/train-metrics.jsonl" 2>/dev/null
fi
if has trainmnist 100; then
  step trainmnist
  timeout 100 "${dsb[@]}" train --preset mnist --device cuda --ipf-iters 1 --iters 600 --out /tmp/mnist-cuda >"$out/trainmnist.log" 2>&1
  echo "exit $?" >>"$out/trainmnist.log"; grep -E "^metrics|^done|^exit|rror" "$out/trainmnist.log" | cut -c1-400
  cp /tmp/mnist-cuda/metrics.jsonl "$out/trainmnist-metrics.jsonl" 2>/dev/null
fi
if has bench2d 60; then
  step bench2d
  { timeout 40 "${dsb[@]}" bench --preset moons --device cuda --iters 600
    timeout 40 "${dsb[@]}" bench --preset moons --device cuda --iters 600 --cache-trajectories 10000
    torch 35 python3 bench/torch/dsb_bench.py --device cuda --iters 600
    torch 35 python3 bench/torch/dsb_bench.py --device cuda --iters 600 --trajectories 10000
  } >"$out/bench2d.log" 2>&1; grep '^{' "$out/bench2d.log"
fi
if has benchmnist 90; then
  step benchmnist
  { timeout 40 "${dsb[@]}" bench --preset mnist --device cuda --iters 200 --eval-samples 256
    torch 40 python3 bench/torch/train_step.py --model unet --config tiny28 --batch 32 --device cuda --steps 100
    timeout 50 "${dsb[@]}" bench --preset mnist --budget reference --device cuda --iters 100 --cache-trajectories 512 --eval-samples 128
    torch 40 python3 bench/torch/train_step.py --model unet --config reference28 --batch 128 --device cuda --steps 30
  } >"$out/benchmnist.log" 2>&1; grep '^{' "$out/benchmnist.log"
fi
if has tf32 60; then
  step tf32
  { timeout 30 "${J32[@]}" dsb4j.bench.GpuBench cuda steps
    timeout 15 python3 bench/torch/train_step.py --model unet --config reference28 --batch 128 --device cuda --steps 30 --tf32 off
    timeout 15 python3 bench/torch/train_step.py --model unet --config reference28 --batch 128 --device cuda --steps 30 --tf32 on
  } >"$out/tf32.log" 2>&1; grep '^{' "$out/tf32.log"
fi
step done
