#!/usr/bin/env bash
# Packages the DAS jar and the bench module (no install) and measures a fresh DAS's first requests
# against its warm ones (POST, delivery, callback), when its port accepts and when it answers, and
# SIGTERM-to-exit. Report: bench/das-first-request.md.
# Arguments go to the benchmark: --warmup N (default 5), --iterations N (default 40), --help.
# Extra Maven arguments can be given in BENCH_MVN_ARGS, e.g. BENCH_MVN_ARGS=-o for offline; options of
# the benchmark JVM in BENCH_JAVA_OPTS, e.g. -Dbench.baseline=OLD.jar to measure another DAS jar too.
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else java from PATH (as Maven does).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# One reactor build, so that the class path names this checkout's modules, not ~/.m2's.
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl das,bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

exec "$java_bin" ${BENCH_JAVA_OPTS:-} -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.DasFirstRequestBenchmark "$root/das/target/das.jar" "$@"
