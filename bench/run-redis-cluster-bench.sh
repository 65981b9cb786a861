#!/usr/bin/env bash
# Measures RedisCluster's start and failover against one RedisServer (bench/backing.md, "Redis
# Cluster"). Needs a JDK and Maven; runs redis-server from PATH if there is one, else the bundled
# 6.2 (CHARLATAN_REDIS_BINARY=bundled forces the bundled one). Rounds: -Dbench.starts=N in
# BENCH_JAVA_OPTS (default 10). Extra Maven arguments in BENCH_MVN_ARGS (e.g. -o).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# One reactor build, so that the class path names this checkout's modules, not ~/.m2's.
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.RedisClusterBenchmark | tee "$root/bench/target/redis-cluster-report.md"
