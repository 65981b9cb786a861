#!/usr/bin/env bash
# Benchmarks Charlatan's standalone imposter server against the real Mountebank 2.9.1, side by
# side in one run, and writes bench/target/imposters-report.md and imposters-throughput.png.
# Needs wrk (Debian: apt-get install wrk), Node and npm (for Mountebank), a JDK and Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
bash scripts/install-mountebank.sh
mvn -B -q -pl bench -am install -DskipTests -Djacoco.skip=true
mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile="$root/bench/target/classpath.txt"
jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar | head -n 1)"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.ImpostersBenchmark "$jar" "$root/.mountebank/node_modules/mountebank/bin/mb" \
  "$root/bench/target" | tee "$root/bench/target/imposters-report.md"
