#!/usr/bin/env bash
# The cost of a server's first https imposters, Charlatan against Mountebank 2.9.1: each round starts
# a fresh server, creates an https imposter whose stub waits 1 s at once, requests it, and again
# with a second one (io.charlatan.bench.HttpsFirstImposterBenchmark). Needs a JDK, Maven, Node/npm.
# BASELINE_JAR=/path/to/an/older-standalone.jar adds that build as a third server (before/after).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-mountebank.sh
mvn -B -q -pl imposters -am package -DskipTests -Djacoco.skip=true
jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar | head -n 1)"
out="$root/bench/target/https-bench"
mkdir -p "$out"
javac -d "$out" bench/src/main/java/io/charlatan/bench/HttpsFirstImposterBenchmark.java \
  bench/src/main/java/io/charlatan/bench/Stats.java
servers=("charlatan=java -jar $jar --port {port}")
if [[ -n "${BASELINE_JAR:-}" ]]; then
  servers+=("charlatan-baseline=java -jar $BASELINE_JAR --port {port}")
fi
servers+=("mountebank=node $root/.mountebank/node_modules/mountebank/bin/mb --port {port}")
java ${BENCH_OPTS:-} -cp "$out" io.charlatan.bench.HttpsFirstImposterBenchmark "${servers[@]}"
