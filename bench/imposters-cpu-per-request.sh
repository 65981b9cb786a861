#!/usr/bin/env bash
# Server CPU per request in steady state (a 10 s wrk -t2 -c32 run after 12 s of it), this build's
# standalone server against another build's, started in turn N times (default 3). Needs wrk and the
# jar (mvn -pl imposters -am package -DskipTests).
#   MODE=close|keep   BASE_MB=<path of another build's bin/mb, next to its standalone jar>
# Prints, per start: build, req/s, µs of the server's CPU (all its threads, user + kernel) per request.
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
  local api port pid jp headers="" c0 c1 rps
  api=$(free_port); port=$(free_port)
  CHARLATAN_CDS_DIR="$cds" bash "$2" --port "$api" --nologfile >/dev/null 2>&1 &
  pid=$!
  wait_port "$api"
  [[ "$mode" == keep ]] && headers=',"headers":{"Connection":"keep-alive"}'
  curl -s -o /dev/null -X POST "http://127.0.0.1:$api/imposters" \
    -d "{\"protocol\":\"http\",\"port\":$port,\"stubs\":[{\"responses\":[{\"is\":{\"statusCode\":200,\"body\":\"ok\"$headers}}]}]}"
  wait_port "$port"
  jp=$(pgrep -f -- "--port $api" | tail -n 1)
  wrk -t2 -c32 -d12s ${hdr[@]+"${hdr[@]}"} "http://127.0.0.1:$port/" >/dev/null
  c0=$(cpu "$jp")
  rps=$(wrk -t2 -c32 -d10s ${hdr[@]+"${hdr[@]}"} "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {printf "%d", $2}')
  c1=$(cpu "$jp")
  python3 -c "print('$1 $mode', $rps, 'req/s; server us/req %.2f' % (($c1 - $c0) * 10000 / ($rps * 10)))"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for _ in $(seq 1 "${N:-3}"); do
  one this imposters/bin/mb
  if [[ -n "${BASE_MB:-}" ]]; then one base "$BASE_MB"; fi
done
