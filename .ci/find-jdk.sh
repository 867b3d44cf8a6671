# Sourced by ./dsb and ./test.sh: prints the home of the first JDK >= 25 found in JAVA_HOME, on PATH,
# or in the usual install folders.
find_jdk() {
  local c v onpath
  onpath=$(command -v javac 2>/dev/null && readlink -f "$(command -v javac)" || true)
  onpath=${onpath:+$(dirname "$(dirname "$(echo "$onpath" | tail -1)")")}
  for c in "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$("$c/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}
