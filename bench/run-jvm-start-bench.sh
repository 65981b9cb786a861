#!/usr/bin/env bash
# Start-to-ready of DAS and of the Spring Boot example under the toolkit (ServiceProcess, HTTP
# readiness): plain java -jar, with the JaCoCo agent, with JavaCommand's class-data archive, with the archive
# and C1 only (the default), and the default with the agent, on Java 17 (this JVM) and Java 25. Report: bench/jvm-start.md, plot: bench/jvm-start.png.
# Arguments go to the benchmark: --warmup N (default 5), --iterations N (default 40), --csv FILE.
# BENCH_MVN_ARGS: extra Maven arguments for the reactor build (e.g. -o);
# BOOT_MVN_ARGS: for the Spring Boot example's build, which needs no Charlatan (tests skipped),
#   e.g. "-o -Dmaven.repo.local=/tmp/m2";
# BENCH_JAVA_OPTS: options of the benchmark JVM, e.g. -Dbench.jdk25=/path/to/jdk-25.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

boot_args=()
if [[ -n "${BOOT_MVN_ARGS:-}" ]]; then
  read -r -a boot_args <<< "$BOOT_MVN_ARGS"
fi

mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl das,bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
(cd examples/spring-boot-orders && mvn -B -q ${boot_args[@]+"${boot_args[@]}"} package \
  -Dmaven.test.skip=true -Djacoco.skip=true)

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

exec "$java_bin" ${BENCH_JAVA_OPTS:-} -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.JvmStartBenchmark "$root/das/target/das.jar" \
  "$root/examples/spring-boot-orders/target/spring-boot-orders.jar" "$@"
