#!/usr/bin/env bash
# Compares GraalJS and Rhino for Mountebank's JavaScript injection (docs/injection.md): Mountebank's
# documented functions (from the package scripts/install-mountebank.sh installs), language features
# and the cost of a call. Extra Maven arguments in BENCH_MVN_ARGS (e.g. -o).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

scripts/install-mountebank.sh
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl bench -am package dependency:build-classpath \
  -DskipTests -Djacoco.skip=true -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime

java ${BENCH_JAVA_OPTS:-} -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" \
  io.charlatan.bench.JsEngineComparison "$root/.mountebank/node_modules/mountebank" \
  | tee "$root/bench/target/js-engines-report.md"
