#!/usr/bin/env bash
# DAS on one Redis node against DAS on a 3-master Redis Cluster, 1 and 3 instances; report:
# bench/das-cluster.md (issue 17).
# Packages das.jar and the bench module (no install), starts a real Redis, a 3-master Redis
# Cluster, embedded imposters for UAA, User Management, the Downloader and the Metadata Parser, and
# 1 or 3 DAS processes (java -jar das/target/das.jar) on each, then drives them with wrk on
# loopback. Writes bench/target/das-cluster-report.md. Needs wrk (apt-get install -y wrk).
# Environment: BENCH_MVN_ARGS (e.g. -o), BENCH_JAVA_OPTS (-Dbench.seconds=N, default 10).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "wrk is missing: apt-get install -y wrk" >&2
    apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
  else
    echo "wrk is needed: apt-get install -y wrk" >&2
    exit 1
  fi
fi

mvn_args=()
if [[ -n "${BENCH_MVN_ARGS:-}" ]]; then
  read -r -a mvn_args <<< "$BENCH_MVN_ARGS"
fi

# One reactor build, so that the class path names this checkout's modules, not ~/.m2's.
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl das,bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

mkdir -p "$root/bench/target"
"$java_bin" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.DasClusterBenchmark "$root/das/target/das.jar" \
  | tee "$root/bench/target/das-cluster-report.md"
