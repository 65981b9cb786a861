# Sourced by the bench/run-*.sh scripts: makes the repository root the working directory ($root)
# and reads extra Maven arguments from BENCH_MVN_ARGS (e.g. "-o -Dmaven.repo.local=/tmp/m2")
# into the array mvn_args.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn_args=()
if [[ -n "${BENCH_MVN_ARGS:-}" ]]; then
  read -r -a mvn_args <<< "$BENCH_MVN_ARGS"
fi

# The java a benchmark runs on: $JAVA_HOME's when it is set (as Maven's), else the PATH's.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Makes sure a command is there: installed with apt-get when missing and this runs as root,
# else the script stops, naming the command.
require_tool() {
  local tool="$1"
  if command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]]; then
    return 0
  fi
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "$tool is missing: apt-get install -y $tool" >&2
    apt-get install -y "$tool" >&2 || { apt-get update >&2 && apt-get install -y "$tool" >&2; }
  else
    echo "$tool is needed: apt-get install -y $tool" >&2
    exit 1
  fi
}

# Packages das.jar and the bench module in one reactor build (no install), so that the class path
# written to bench/target/classpath.txt names this checkout's modules, not ~/.m2's.
package_das_bench() {
  mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl das,bench -am package dependency:build-classpath \
    -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt \
    -Dmdep.includeScope=runtime
}

# A port free on the loopback now, chosen by the system.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until something listens on the loopback port $1, at most 30 s; fails after that.
wait_port() {
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
