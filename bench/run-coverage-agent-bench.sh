#!/usr/bin/env bash
# Measures the start-up cost of the JaCoCo agent handed to a service process: a JDK HttpServer
# service and the Spring Boot example's boot jar, each with no agent, an agent on every class and
# an agent narrowed to the service's packages (see bench/process.md).
# Arguments go to the benchmark: --iterations N (default 10), --warmup N (default 1).
# Extra Maven arguments can be given in BENCH_MVN_ARGS, e.g. "-o -Dmaven.repo.local=/tmp/m2".
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bom,bench,junit,contract -am install -DskipTests -DskipITs \
  -Djacoco.skip=true
(cd examples/spring-boot-orders &&
  mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} package -DskipTests -DskipITs -Djacoco.skip=true)

classpath_file="$root/bench/target/classpath.txt"
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bench dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file"

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

exec "$java_bin" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  io.charlatan.bench.CoverageAgentBenchmark \
  --boot-jar "$root/examples/spring-boot-orders/target/spring-boot-orders.jar" "$@"
