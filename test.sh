#!/usr/bin/env bash
# Runs every test of every module with a JDK >= 25 (found as ./dsb finds it); non-zero exit on any failure.
# Then builds the libraries' javadoc, and checks that a separate Maven project (examples/embedding, not a module of this build) compiles and runs
# against the installed engine, nn and dsb artifacts. Extra arguments go to the reactor's `mvn verify` and javadoc.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/.ci/find-jdk.sh"
JAVA_HOME=$(find_jdk) || { echo "test.sh: needs a JDK 25 or newer (with javac); set JAVA_HOME" >&2; exit 1; }
export JAVA_HOME
cd "$root"
mvn -B -ntp verify "$@"

# The libraries' API documentation builds without errors (doclint on, missing comments aside).
mvn -B -ntp -q compile javadoc:javadoc -pl engine,nn,bridge -am "$@" || { echo "test.sh: javadoc of engine, nn or dsb has errors" >&2; exit 1; }
echo "javadoc: engine, nn and dsb build without errors"

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
  -pl engine,nn,bridge -am install || fail "could not install engine, nn and dsb into $repo"
mvn -B -ntp -q -f "$consumer/pom.xml" -Dmaven.repo.local="$repo" -Ddsb4j.suffix="$suffix" \
  compile dependency:build-classpath -Dmdep.outputFile="$consumer/target$suffix/classpath.txt" \
  || fail "did not compile against the installed artifacts"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  -cp "$consumer/target$suffix/classes:$(cat "$consumer/target$suffix/classpath.txt")" example.TwoClouds \
  || fail "example.TwoClouds failed"
echo "consumer project: compiled and ran against the installed dsb4j artifacts"
