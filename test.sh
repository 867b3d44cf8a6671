#!/usr/bin/env bash
# Runs every test of every module with a JDK >= 25 (found as ./dsb finds it); non-zero exit on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/.ci/find-jdk.sh"
JAVA_HOME=$(find_jdk) || { echo "test.sh: needs a JDK 25 or newer (with javac); set JAVA_HOME" >&2; exit 1; }
export JAVA_HOME
cd "$root"
exec mvn -B -ntp verify "$@"
