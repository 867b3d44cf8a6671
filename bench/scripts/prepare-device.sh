#!/usr/bin/env bash
# Packs what a run on a GPU host needs, for a host that has the NVIDIA driver and the CUDA libraries (libcuda,
# libnvrtc, libcublas) but no JDK and no Maven. Run it on the development machine, from anywhere in the checkout:
#   bench/scripts/prepare-device.sh [extra Maven arguments, e.g. -Ddsb4j.suffix=-mine]
# It builds the project (tests compiled, not run) and writes .device/ (git-ignored):
#   .device/jre.tgz        a small Java 25 runtime made with jlink: java.base, jdk.incubator.vector and a few more;
#                          no java.desktop (plots are skipped without it) and no java.xml (no JUnit XML reports)
#   .device/lib/           the module jars and all their dependencies, test scope included, and the JUnit console
#                          launcher of the JUnit Platform version the build uses
#   .device/test-classes/  each module's compiled tests, one folder per module
# Copy the working tree with .device/ to the GPU host, then from the project root there:
#   bash engine/src/test/resources/dsb4j/cuda/run-on-gpu.sh     # the CUDA test suite on the real GPU
#   bash bench/scripts/gpu-session.sh                            # tests, kernel rates, training, PyTorch twins
# or any class by hand:
#   tar xzf .device/jre.tgz -C .device
#   .device/jre/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
#     -cp "$(ls .device/lib/*.jar | grep -v -e benchmarks.jar -e console-standalone | tr '\n' :)" \
#     dsb4j.examples.Main train --preset moons --device cuda
# Needs a JDK 25 with jlink (found as ./dsb finds one) and Maven with access to Maven Central (the first run
# downloads the dependencies and the console launcher).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. .ci/find-jdk.sh
jdk=$(find_jdk) || { echo "prepare-device.sh: needs a JDK 25 or newer; set JAVA_HOME" >&2; exit 1; }
[ -x "$jdk/bin/jlink" ] || { echo "prepare-device.sh: $jdk has no jlink" >&2; exit 1; }
export JAVA_HOME="$jdk"
suffix=""
for a in "$@"; do case "$a" in -Ddsb4j.suffix=*) suffix="${a#-Ddsb4j.suffix=}" ;; esac; done

rm -rf .device && mkdir -p .device/lib .device/test-classes
# One reactor run, packaging and copying together, so sibling modules resolve from the reactor.
mvn -B -ntp -q -DskipTests "$@" package dependency:copy-dependencies \
  -DincludeScope=test -DoutputDirectory="$root/.device/lib" >/dev/null
for m in engine nn bridge examples bench; do
  for j in "$m/target$suffix"/*.jar; do
    [ -f "$j" ] || continue
    case "$j" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    cp "$j" .device/lib/
  done
  [ -d "$m/target$suffix/test-classes" ] && cp -r "$m/target$suffix/test-classes" ".device/test-classes/$m"
done
# The JUnit console launcher matching the JUnit Platform version of the build.
v=$(ls .device/lib | sed -n 's/^junit-platform-engine-\(.*\)\.jar$/\1/p' | head -1)
if [ -n "$v" ]; then
  mvn -B -ntp -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$v" \
    -DoutputDirectory="$root/.device/lib" >/dev/null || echo "prepare-device.sh: console launcher $v not fetched" >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported,jdk.management \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$tmp/jre" 2>&1 | grep -v incubator || true
tar czf .device/jre.tgz -C "$tmp" jre
du -sh .device/jre.tgz .device/lib .device/test-classes
echo "ready: .device/ (git-ignored); copy it to the GPU host with the working tree"
