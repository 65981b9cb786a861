#!/usr/bin/env bash
# Server CPU per request and req/s of this build's standalone server, and of another build's if
# BASE_MB is given, started in turn N times (default 3). Needs wrk and the jar
# (mvn -pl imposters -am package -DskipTests).
#   MODE=close|keep    a `Connection: close` load (default) or a kept-alive one
#   RUNS=steady        one 10 s wrk -t2 -c32 run after 12 s of it (default)
#   RUNS=after-ready   the first and the second 10 s run after a start with CHARLATAN_WARMUP=ready
#   BASE_MB            the bin/mb of another build, next to its standalone jar
# Prints, per start and run: build, req/s, µs of the server's CPU (all threads, user + kernel)
# per request.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mode="${MODE:-close}"
runs="${RUNS:-steady}"
case "$runs" in
  steady | after-ready) ;;
  *) echo "RUNS=$runs: give steady or after-ready" >&2; exit 2 ;;
esac
cds="$(mktemp -d)"
trap 'rm -rf "$cds"' EXIT
cpu() { local t=0; for f in /proc/"$1"/task/*/stat; do t=$((t + $(awk '{print $14+$15}' "$f"))); done; echo "$t"; }
hdr=(); [[ "$mode" == close ]] && hdr=(-H 'Connection: close')
load() { # port seconds -> req/s
  wrk -t2 -c32 -d"$2"s ${hdr[@]+"${hdr[@]}"} "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {printf "%d", $2}'
}
one() { # label mb
  local api port pid jp headers="" c0 c1 rps line="" warmup=on names=(measured)
  api=$(free_port); port=$(free_port)
  [[ "$runs" == after-ready ]] && warmup=ready && names=(first second)
  CHARLATAN_WARMUP="$warmup" CHARLATAN_CDS_DIR="$cds" bash "$2" --port "$api" --nologfile >/dev/null 2>&1 &
  pid=$!
  wait_port "$api"
  jp=$(pgrep -f -- "--port $api" | tail -n 1)
  [[ "$mode" == keep ]] && headers=',"headers":{"Connection":"keep-alive"}'
  curl -s -o /dev/null -X POST "http://127.0.0.1:$api/imposters" \
    -d "{\"protocol\":\"http\",\"port\":$port,\"stubs\":[{\"responses\":[{\"is\":{\"statusCode\":200,\"body\":\"ok\"$headers}}]}]}"
  wait_port "$port"
  [[ "$runs" == steady ]] && load "$port" 12 >/dev/null
  for run in "${names[@]}"; do
    c0=$(cpu "$jp")
    rps=$(load "$port" 10)
    c1=$(cpu "$jp")
    line="$line $run $rps req/s $(python3 -c "print('%.1f' % (($c1 - $c0) * 10000 / ($rps * 10)))") us/req;"
  done
  echo "$1 $mode:$line"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for _ in $(seq 1 "${N:-3}"); do
  one this imposters/bin/mb
  if [[ -n "${BASE_MB:-}" ]]; then one base "$BASE_MB"; fi
done
