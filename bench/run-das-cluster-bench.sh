#!/usr/bin/env bash
# DAS on one Redis node against DAS on a 3-master Redis Cluster, 1 and 3 instances; report:
# bench/das-cluster.md (issue 17).
# Packages das.jar and the bench module (no install), starts a real Redis, a 3-master Redis
# Cluster, embedded imposters for UAA, User Management, the Downloader and the Metadata Parser, and
# 1 or 3 DAS processes (java -jar das/target/das.jar) on each, then drives them with wrk on
# loopback. Writes bench/target/das-cluster-report.md and the plots das-cluster-throughput.png and
# das-cluster-cpu.png there (copy them to bench/ with the report). Needs wrk (apt-get install -y wrk).
# Environment: BENCH_MVN_ARGS (e.g. -o), BENCH_JAVA_OPTS (-Dbench.seconds=N, default 10).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool wrk
package_das_bench

mkdir -p "$root/bench/target"
"$java_bin" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.DasClusterBenchmark "$root/das/target/das.jar" "$root/bench/target" \
  | tee "$root/bench/target/das-cluster-report.md"
