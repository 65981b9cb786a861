#!/usr/bin/env bash
# Start-to-ready of DAS run from its classes directory (as Surefire's service tests run it), with
# and without JavaCommand's class-data archive, against das.jar with the archive. Report:
# bench/jvm-start.md ("From a classes directory"). Arguments go to the benchmark: --warmup N,
# --iterations N, --csv FILE. BENCH_MVN_ARGS: extra Maven arguments (e.g. -o).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl das,bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

exec java -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.ClassDirectoryStartBenchmark "$root/das/target/classes" \
  "$(cat "$root/das/target/classpath.txt")" "$root/das/target/das.jar" "$@"
