#!/usr/bin/env bash
# Runs the CUDA backend's tests (every Cuda* test class, and the suites every backend passes, *Contract* and CrossBackend*) on a
# GPU host, without Maven.
#
# 1. Here, on the development machine, after the project compiles (it runs the Maven build itself):
#      bench/scripts/prepare-device.sh
#    which packs .device/ (a jlinked Java 25 runtime, the module jars with all test dependencies, each
#    module's compiled tests and the JUnit console launcher) and git-ignores it.
# 2. On the GPU host, with the working tree and .device/ copied there, from the project root:
#      bash engine/src/test/resources/dsb4j/cuda/run-on-gpu.sh [extra launcher options]
#    e.g. --include-classname '.*CudaReduce.*' for one suite. Set DSB4J_CUDA_OPTS for JVM options, e.g.
#    "-Ddsb4j.cuda.tf32=true" or "-Ddsb4j.cuda.device=1". The report is the console's test tree and summary.
#
# The GPU targets are required here (-Ddsb4j.cuda.requireGpu=true): where no GPU is found they fail with the
# reason instead of skipping. Each target prints its device line first (name, sm_XX, NVRTC and cubin/PTX,
# cuBLAS version, library paths). The emulator targets are skipped (-Ddsb4j.cuda.skipEmulator=true): CI runs them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../../../.." && pwd)"      # engine/src/test/resources/dsb4j/cuda -> project root
cd "$root"
[ -d .device/lib ] || { echo "no .device/ here: run bench/scripts/prepare-device.sh on the development machine first" >&2; exit 2; }
[ -x .device/jre/bin/java ] || tar xzf .device/jre.tgz -C .device
J=.device/jre/bin/java
command -v nvidia-smi >/dev/null && nvidia-smi -L || echo "(nvidia-smi not found)"
launcher=$(ls .device/lib/junit-platform-console-standalone-*.jar | head -1)
cp="$(ls -d .device/test-classes/* | tr '\n' :)$(ls .device/lib/*.jar | grep -v -e console-standalone -e benchmarks.jar | tr '\n' :)"   # not the benchmark uber-jars: their own copies of every class
# shellcheck disable=SC2086
"$J" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Ddsb4j.cuda.requireGpu=true -Ddsb4j.cuda.skipEmulator=true ${DSB4J_CUDA_OPTS:-} \
  -jar "$launcher" execute --class-path "$cp" --scan-class-path --include-classname '.*Cuda.*' --include-classname '.*Contract.*' --include-classname '.*CrossBackend.*' \
  --details=tree "$@"    # no XML reports: prepare-device.sh's runtime has no java.xml
