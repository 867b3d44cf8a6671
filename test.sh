#!/usr/bin/env bash
# Runs every test of every module with a JDK >= 25 (found as ./dsb finds it); non-zero exit on any failure.
# Then builds the libraries' javadoc, and checks that a separate Maven project (examples/embedding, not a module of this build) compiles and runs
# against the installed engine, nn and bridge artifacts. Extra arguments go to the reactor's `mvn verify` and javadoc.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/.ci/find-jdk.sh"
JAVA_HOME=$(find_jdk) || { echo "test.sh: needs a JDK 25 or newer (with javac); set JAVA_HOME" >&2; exit 1; }
export JAVA_HOME
cd "$root"

# The distributed-training tests (MpiCollectiveTest, MpiTrainingTest, MpiCliTest) start two ranks with Open MPI's
# mpirun on this machine. Install it quietly where it is missing and apt-get can (as root, or through sudo without a
# password); where it cannot, say so in one line: those tests then skip themselves.
if ! command -v mpirun >/dev/null 2>&1; then
  as=none
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then as=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as="sudo -n"; fi
  fi
  install_mpi() { $as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openmpi-bin >/dev/null 2>&1; }
  if [ "$as" != none ] && { install_mpi || { $as apt-get update -qq >/dev/null 2>&1 && install_mpi; }; } && command -v mpirun >/dev/null 2>&1; then
    echo "test.sh: installed Open MPI $(mpirun --version 2>/dev/null | head -1 | grep -o '[0-9][0-9.]*$') for the distributed-training tests"
  else
    echo "test.sh: no mpirun, and apt-get cannot install Open MPI here: the distributed-training tests are skipped"
  fi
fi

mvn -B -ntp verify "$@"

# The libraries' API documentation builds without errors (doclint on, missing comments aside).
mvn -B -ntp -q compile javadoc:javadoc -pl engine,nn,bridge -am "$@" || { echo "test.sh: javadoc of engine, nn or bridge has errors" >&2; exit 1; }
echo "javadoc: engine, nn and bridge build without errors"

# The consumer check. The artifacts go to a private local repository under the build tree, never to ~/.m2:
# on a developer's machine (or one shared by several checkouts) a 0.1.0-SNAPSHOT installed there would be picked
# up by every other build that resolves dsb4j from the repository instead of its own reactor. The private
# repository resolves Maven's plugins and the junit BOM from Central like ~/.m2 does: about 40 MB downloaded
# once, then reused until `mvn clean` removes target/. The install re-runs no test (maven.test.skip also skips
# compiling them) and recompiles nothing that verify built. -Ddsb4j.suffix (parallel sessions) is honoured.
suffix=""
for a in "$@"; do case "$a" in -Ddsb4j.suffix=*) suffix="${a#-Ddsb4j.suffix=}" ;; esac; done
repo="$root/target$suffix/consumer-m2"
consumer="$root/examples/embedding"
fail() { echo "test.sh: consumer project (examples/embedding): $1" >&2; exit 1; }
mvn -B -ntp -q -Dmaven.repo.local="$repo" -Ddsb4j.suffix="$suffix" -Dmaven.test.skip=true \
  -pl engine,nn,bridge -am install || fail "could not install engine, nn and bridge into $repo"
mvn -B -ntp -q -f "$consumer/pom.xml" -Dmaven.repo.local="$repo" -Ddsb4j.suffix="$suffix" \
  compile dependency:build-classpath -Dmdep.outputFile="$consumer/target$suffix/classpath.txt" \
  || fail "did not compile against the installed artifacts"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  -cp "$consumer/target$suffix/classes:$(cat "$consumer/target$suffix/classpath.txt")" example.TwoClouds \
  || fail "example.TwoClouds failed"
echo "consumer project: compiled and ran against the installed dsb4j artifacts"
