#!/usr/bin/env bash
# Cost per request of --impostersRepository: a one-stub `is` imposter answered from the server's
# own memory, and through a Node.js repository module (Mountebank 2.9.1's own in-memory and
# filesystem-backed repositories, loaded as modules), on Charlatan's standalone server and on the
# real Mountebank 2.9.1 given the same options, side by side in one run (wrk, keep-alive). Prints
# a Markdown table. Needs wrk, Node and npm (for Mountebank), a JDK and Maven.
# The sequential run (one connection) gives the cost of one request. Arguments: [seconds]
# [connections], default 10 32.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
seconds="${1:-10}"
connections="${2:-32}"
bash scripts/install-mountebank.sh
if [[ -z "${SKIP_PACKAGE:-}" ]]; then
  mvn -B -q -pl imposters -am package -DskipTests -Djacoco.skip=true
fi
jar="$(ls "$root"/imposters/target/charlatan-imposters-*-standalone.jar | head -n 1)"
mb="$root/.mountebank/node_modules/mountebank"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

start() { # server api-port options...
  local server="$1" port="$2"
  shift 2
  mkdir -p "$work/$port"
  if [[ "$server" == Charlatan ]]; then
    (cd "$work/$port" && exec java -jar "$jar" --port "$port" --nologfile --loglevel warn \
      --pidfile mb.pid "$@" >server.log 2>&1) &
  else
    (cd "$work/$port" && exec node "$mb/bin/mb" --port "$port" --nologfile --loglevel warn \
      --pidfile mb.pid "$@" >server.log 2>&1) &
  fi
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/imposters" >/dev/null && return
    sleep 0.1
  done
  echo "$server on $port did not start: $(cat "$work/$port/server.log")" >&2
  exit 1
}

stub='{"responses":[{"is":{"statusCode":200,"headers":{"Connection":"keep-alive"},"body":"hello"}}]}'

# wrk's requests/s and latency percentiles (p50 p90 p99) of one run, after a warm-up.
measure() { # port connections
  local threads=$(( $2 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$2" -d3s "http://127.0.0.1:$1/hello" >/dev/null
  wrk -t"$threads" -c"$2" -d"${seconds}s" --latency "http://127.0.0.1:$1/hello" >"$work/wrk.txt"
  local rps p50 p90 p99 errors
  rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")"
  p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")"
  p90="$(awk '$1 == "90%" {print $2}' "$work/wrk.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
  errors="$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')"
  echo "$rps|$p50 / $p90 / $p99|${errors:-none}"
}

echo "load before: $(uptime)"
echo
echo "| repository (wrk -d${seconds}s, keep-alive) | server | req/s, $connections connections | p50 / p90 / p99 | errors | req/s, 1 connection | p50 / p90 / p99 | errors |"
echo "|---|---|---:|---:|---|---:|---:|---|"
port=32600
for kind in memory inMemoryModule filesystemModule; do
  case "$kind" in
    memory) options=(); label='none (the server'"'"'s own memory)' ;;
    inMemoryModule)
      options=(--impostersRepository "$mb/src/models/inMemoryImpostersRepository.js")
      label='mb'"'"'s `inMemoryImpostersRepository.js` as a module' ;;
    filesystemModule)
      options=(--datadir data --impostersRepository "$mb/src/models/filesystemBackedImpostersRepository.js")
      label='mb'"'"'s `filesystemBackedImpostersRepository.js` as a module' ;;
  esac
  for server in Charlatan Mountebank; do
    port=$((port + 2))
    start "$server" "$port" "${options[@]}"
    curl -sf -X POST "http://127.0.0.1:$port/imposters" \
      -d "{\"protocol\":\"http\",\"port\":$((port + 1)),\"stubs\":[$stub]}" >/dev/null
    echo "| $label | $server | $(measure $((port + 1)) "$connections") | $(measure $((port + 1)) 1) |"
    kill "${pids[-1]}" 2>/dev/null || true
    wait "${pids[-1]}" 2>/dev/null || true
  done
done
echo
echo "load after: $(uptime)"
