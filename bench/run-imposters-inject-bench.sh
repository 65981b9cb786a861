#!/usr/bin/env bash
# Throughput of an `inject` response against an `is` response, on Charlatan's standalone server
# and on the real Mountebank 2.9.1, both run with --allowInjection, side by side in one run
# (wrk, keep-alive). Prints a Markdown table. Needs wrk (apt-get install wrk), Node and npm (for
# Mountebank), a JDK and Maven. Arguments: [seconds] [connections], default 10 32.
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
work="$(mktemp -d)"
ours_port="${OURS_PORT:-32536}"
mb_port="${MB_PORT:-32537}"
java -jar "$jar" --port "$ours_port" --allowInjection --nologfile --loglevel warn \
  --pidfile "$work/ours.pid" >"$work/ours.log" 2>&1 &
ours=$!
node "$root/.mountebank/node_modules/mountebank/bin/mb" --port "$mb_port" --allowInjection \
  --nologfile --loglevel warn --pidfile "$work/mb.pid" >"$work/mb.log" 2>&1 &
theirs=$!
trap 'kill "$ours" "$theirs" 2>/dev/null || true' EXIT
for port in "$ours_port" "$mb_port"; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/imposters" >/dev/null && break
    sleep 0.1
  done
done

# The same answer both ways: 200, a JSON body naming the path, the client's connection choice.
is_stub='{"responses":[{"is":{"statusCode":200,"headers":{"Content-Type":"application/json","Connection":"keep-alive"},"body":"{\"path\":\"/hello\"}"}}]}'
inject_stub='{"responses":[{"inject":"config => ({ statusCode: 200, headers: { \"Content-Type\": \"application/json\", Connection: \"keep-alive\" }, body: JSON.stringify({ path: config.request.path }) })"}]}'
stateful_stub='{"responses":[{"inject":"config => { config.state.count = (config.state.count || 0) + 1; return { headers: { Connection: \"keep-alive\" }, body: String(config.state.count) }; }"}]}'

create() { # api port stub
  curl -sf -X POST "http://127.0.0.1:$1/imposters" \
    -d "{\"protocol\":\"http\",\"port\":$2,\"stubs\":[$3]}" >/dev/null
}

# wrk's requests/s and latency percentiles (p50 p90 p99) of one run.
measure() { # port
  wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$1/hello" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$1/hello" >"$work/wrk.txt"
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
echo "| response (wrk -t2 -c$connections -d${seconds}s, keep-alive) | server | req/s | p50 / p90 / p99 | errors |"
echo "|---|---|---:|---:|---|"
offset=0
for kind in is inject stateful; do
  case "$kind" in
    is) stub="$is_stub"; label='`is`' ;;
    inject) stub="$inject_stub"; label='`inject` (same answer)' ;;
    stateful) stub="$stateful_stub"; label='`inject` counting in `config.state`' ;;
  esac
  offset=$((offset + 1))
  create "$ours_port" $((ours_port + 100 + offset)) "$stub"
  create "$mb_port" $((mb_port + 200 + offset)) "$stub"
  echo "| $label | Charlatan | $(measure $((ours_port + 100 + offset))) |"
  echo "| $label | Mountebank | $(measure $((mb_port + 200 + offset))) |"
done
echo
echo "load after: $(uptime)"
