#!/usr/bin/env bash
# Does an open web page slow the imposters down? Measures a one-stub imposter of the standalone
# server with wrk (-t2 -c32 -d${BENCH_SECONDS:-10}s, keep-alive) in three states, alternated over
# ${BENCH_ROUNDS:-3} rounds: no page; one event stream open (curl -N /ui/events: the server's side
# of a page, without a browser's CPU); the imposter's page open in headless Chromium (which redraws
# on each change event, up to four times a second, on the same two cores). Each state is measured
# with and without recordRequests. Writes the table to stdout. Needs wrk, curl, chromium, a JDK and
# Maven (apt-get install wrk; scripts/install-chromium.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seconds="${BENCH_SECONDS:-10}"
rounds="${BENCH_ROUNDS:-3}"
for tool in wrk curl chromium java; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (see the header of $0)" >&2; exit 1; }
done
jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar 2>/dev/null | head -n 1 || true)"
if [[ -z "$jar" ]]; then
  mvn -B -q "${mvn_args[@]}" -pl imposters -am package -DskipTests -Djacoco.skip=true
  jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar | head -n 1)"
fi
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

admin="$(free_port)"
java -jar "$jar" --port "$admin" --nologfile --loglevel warn >"$work/mb.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$admin/" >/dev/null && break; sleep 0.1; done

# The number of event streams open on the admin port, as the server's side sees connections.
streams() { ss -Htn state established "( sport = :$admin )" | wc -l; }

measure() { # imposter port -> "req/s p99"
  wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$1/" >"$work/wrk.out"
  local rps p99
  rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.out")"
  echo "$rps $p99"
}

echo "| recordRequests | round | no page req/s (p99) | event stream open req/s (p99) | Chromium page open req/s (p99) |"
echo "|---|---:|---:|---:|---:|"
for record in false true; do
  port="$(free_port)"
  curl -sf -X POST "http://127.0.0.1:$admin/imposters" -d "{\"protocol\": \"http\", \"port\": $port,
    \"recordRequests\": $record, \"stubs\": [{\"responses\": [{\"is\": {\"body\": \"hello\"}}]}]}" >/dev/null
  wrk -t2 -c32 -d3s "http://127.0.0.1:$port/" >/dev/null # warm-up
  for round in $(seq "$rounds"); do
    read -r quiet_rps quiet_p99 <<<"$(measure "$port")"

    curl -sN "http://127.0.0.1:$admin/ui/events" >/dev/null &
    stream=$!
    pids+=($stream)
    until [[ "$(streams)" -ge 1 ]]; do sleep 0.1; done
    read -r stream_rps stream_p99 <<<"$(measure "$port")"
    kill "$stream"; wait "$stream" 2>/dev/null || true

    rm -rf "$work/profile"
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$work/profile" --remote-debugging-port=0 \
      "http://127.0.0.1:$admin/imposters/$port" >/dev/null 2>&1 &
    browser=$!
    pids+=($browser)
    until [[ "$(streams)" -ge 1 ]]; do sleep 0.1; done
    sleep 2 # the page loads its data, then opens its stream
    read -r page_rps page_p99 <<<"$(measure "$port")"
    kill "$browser"; wait "$browser" 2>/dev/null || true
    until [[ "$(streams)" -eq 0 ]]; do sleep 0.1; done

    echo "| $record | $round | $quiet_rps ($quiet_p99) | $stream_rps ($stream_p99) | $page_rps ($page_p99) |"
  done
  curl -sf -X DELETE "http://127.0.0.1:$admin/imposters/$port" >/dev/null
done
