# Sourced by ./mvnw and ./stratus: make JAVA_HOME point at a JDK >= 21.
# Order: JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm
# (STRATUS_JVM_DIR names another folder to search, for tests and unusual machines).

stratus_java_major() {
  # Prints the major version of the java binary given as $1, or nothing. A JDK's release file says
  # it without starting a JVM (which costs ~100 ms, several times per start); else ask the binary.
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$version" ]; then
      echo "$version"
      return 0
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

stratus_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(stratus_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      return 0
    fi
  fi
  best_home=""
  best_major=0
  # The caller may run with globbing off (mvnw uses 'set -f'): list the folder without it.
  for home in $(find "${STRATUS_JVM_DIR:-/usr/lib/jvm}" -mindepth 1 -maxdepth 1 2>/dev/null | sort); do
    [ -x "$home/bin/javac" ] || continue
    major=$(stratus_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best_home=$home
      best_major=$major
    fi
  done
  if [ -z "$best_home" ]; then
    echo "Stratus needs a JDK 21 or newer: install one (for example 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$best_home
  export JAVA_HOME
}

# JDK 24+ warns on every start that Netty, Guice and others use sun.misc.Unsafe; allow it quietly.
stratus_java_opts() {
  major=$(stratus_java_major "$JAVA_HOME/bin/java")
  if [ -n "$major" ] && [ "$major" -ge 24 ]; then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}
