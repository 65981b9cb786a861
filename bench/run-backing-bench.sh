#!/usr/bin/env bash
# Measures the backing services (bench/backing.md): Redis ready time against redis-server started
# by hand, the per-test reset, and the first extraction of the bundled binary. Needs a JDK and Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl bench -am install -DskipTests -Djacoco.skip=true
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$root/bench/target/classpath.txt"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.BackingBenchmark | tee "$root/bench/target/backing-report.md"
