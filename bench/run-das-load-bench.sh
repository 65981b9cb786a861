#!/usr/bin/env bash
# DAS under load against the PyDAS figures of shared/FACTS.md; report: bench/das.md.
# Packages das.jar and the bench module (no install), starts a real Redis, embedded imposters for
# UAA, User Management, the Downloader and the Metadata Parser, and DAS as its own process
# (java -jar das/target/das.jar), then drives it with wrk from another process on loopback.
# Writes bench/target/das-load-report.md, das-throughput.png and das-latency.png.
# Needs wrk: installed with apt-get when missing and this runs as root, else the script stops.
# Environment: BENCH_MVN_ARGS (e.g. -o), BENCH_JAVA_OPTS, options of the benchmark JVM:
#   -Dbench.seconds=N                     seconds per measured wrk run (10)
#   -Dbench.baseline=OLD.jar              also measure another DAS jar, in the same run
#   -Dbench.dasJvm="-XX:StartFlightRecording=filename=/tmp/{name}.jfr"   JVM options for DAS
#   -Dbench.peers=mountebank              the peers on a real Mountebank 2.9.1 (Connection: close;
#                                         scripts/install-mountebank.sh) instead of our imposters
#   -Dbench.only=POST                     POST alone, after the same warm-up (or ;-separated names)
#   -Dbench.postWarmup=N                  seconds of POSTs before the measured POST run (5)
#   -Dbench.dasEnv=NAME=VALUE,...         more of DAS's variables (e.g. DAS_PERMISSIONS_CACHE_MS=5000)
#   -Dbench.baselineEnv=NAME=VALUE,...    more for the baseline jar only, after those (the same jar
#                                         as baseline: a setting such as DAS_OUTBOUND_WORKERS=4
#                                         compared in one run)
#   -Dbench.downloaderWait=N              the Downloader answers each call N ms late (a peer farther
#                                         than loopback)
#   -Dbench.config=vcap                   DAS configured by VCAP_SERVICES as PyDAS is deployed
#                                         (Redis password JSON null) instead of plain variables
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tool wrk
package_das_bench

mkdir -p "$root/bench/target"
"$java_bin" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.DasLoadBenchmark "$root/das/target/das.jar" "$root/bench/target" \
  | tee "$root/bench/target/das-load-report.md"
