#!/usr/bin/env bash
# The first and the second 10 s wrk -t2 -c32 run after a ready start (CHARLATAN_WARMUP=ready) of
# this build's standalone server, and of another build's if BASE_MB is given, N times in turn
# (default 3): req/s and µs of the server's CPU per request in each. Needs wrk and the jar.
#   MODE=close|keep   BASE_MB=<path of another build's bin/mb, next to its standalone jar>
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${MODE:-close}"
cds="$(mktemp -d)"
trap 'rm -rf "$cds"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.02; done; return 1; }
cpu() { local t=0; for f in /proc/"$1"/task/*/stat; do t=$((t + $(awk '{print $14+$15}' "$f"))); done; echo "$t"; }
hdr=(); [[ "$mode" == close ]] && hdr=(-H 'Connection: close')
one() { # label mb
  local api port pid jp headers="" c0 c1 rps line=""
  api=$(free_port); port=$(free_port)
  CHARLATAN_WARMUP=ready CHARLATAN_CDS_DIR="$cds" bash "$2" --port "$api" --nologfile >/dev/null 2>&1 &
  pid=$!
  wait_port "$api"
  jp=$(pgrep -f -- "--port $api" | tail -n 1)
  [[ "$mode" == keep ]] && headers=',"headers":{"Connection":"keep-alive"}'
  curl -s -o /dev/null -X POST "http://127.0.0.1:$api/imposters" \
    -d "{\"protocol\":\"http\",\"port\":$port,\"stubs\":[{\"responses\":[{\"is\":{\"statusCode\":200,\"body\":\"ok\"$headers}}]}]}"
  wait_port "$port"
  for run in first second; do
    c0=$(cpu "$jp")
    rps=$(wrk -t2 -c32 -d10s ${hdr[@]+"${hdr[@]}"} "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%d", $2}')
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
