#!/usr/bin/env bash
# Benchmarks smtp imposters of Charlatan's standalone server against the real Mountebank 2.9.1,
# side by side in one run (io.charlatan.bench.SmtpImpostersBenchmark), and prints a Markdown table.
# Needs Node and npm (for Mountebank), a JDK and Maven. Arguments: [seconds] [threads].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-mountebank.sh
mvn -B -q -pl imposters,bench -am package -DskipTests -Djacoco.skip=true
jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar | head -n 1)"
work="$(mktemp -d)"
ours_port="${OURS_PORT:-32536}"
mb_port="${MB_PORT:-32537}"
java -jar "$jar" --port "$ours_port" --nologfile --loglevel warn --pidfile "$work/ours.pid" \
  >"$work/ours.log" 2>&1 &
ours=$!
node "$root/.mountebank/node_modules/mountebank/bin/mb" --port "$mb_port" --nologfile \
  --loglevel warn --pidfile "$work/mb.pid" >"$work/mb.log" 2>&1 &
theirs=$!
trap 'kill "$ours" "$theirs" 2>/dev/null || true' EXIT
for port in "$ours_port" "$mb_port"; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/imposters" >/dev/null && break
    sleep 0.1
  done
done
uptime
java -cp "$root/bench/target/classes" io.charlatan.bench.SmtpImpostersBenchmark \
  "http://127.0.0.1:$ours_port" "http://127.0.0.1:$mb_port" "${1:-10}" "${2:-8}"
