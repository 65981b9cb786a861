#!/usr/bin/env bash
# Builds the bench module (and the modules it needs) and runs the injection cost benchmark (bench/imposters-inject.md)
# with JMH. Arguments go to JMH (e.g. -f 2 -i 10, or -h for its help); results are also written
# to bench/target/inject-jmh.json. Extra Maven arguments can be given in BENCH_MVN_ARGS
# (e.g. BENCH_MVN_ARGS=-o for offline). Uses $JAVA_HOME/bin/java when JAVA_HOME is set.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bench -am install -DskipTests -Djacoco.skip=true

classpath_file="$root/bench/target/classpath.txt"
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bench dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file"

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

exec "$java_bin" -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  org.openjdk.jmh.Main InjectionBenchmark \
  -rf json -rff "$root/bench/target/inject-jmh.json" "$@"
