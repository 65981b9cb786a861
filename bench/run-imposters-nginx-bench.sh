#!/usr/bin/env bash
# The physical-limit anchor of the imposters benchmark (issue 18, item 7): one-stub imposters of
# Charlatan's standalone server (epoll, then NIO) and of Mountebank 2.9.1 against nginx answering
# `return 200` (access log off) with one and with two workers, wrk -t2 -c32, keep-alive and
# `Connection: close`. Every server is started fresh in each round and measured in its first run
# after the start, then in a second run; rounds are interleaved. Report: bench/imposters.md
# ("The nginx anchor"); raw figures: bench/target/imposters-nginx.csv.
# The keep-alive imposter's stub answers with `Connection: keep-alive`: without it Mountebank (and
# so ours) adds `Connection: close` to every response and closes each connection, whatever the
# client asks (session 8's "keep-alive" figures measured that by mistake). The close imposter's stub
# names no Connection header, and wrk asks for `Connection: close`.
# KINDS (default "http inject tcp") adds, after the http rows, the same table for an `inject`
# response (ours and Mountebank with --allowInjection; the stub's JavaScript answers `ok`) and for
# a tcp imposter (one stub answering `pong`, no predicates; load from a small Java client in this
# script, 32 connections on 32 threads, kept or one per request, since wrk speaks only http; nginx
# has no row there). SERVERS_EXTRA (default "charlatan-epoll mountebank", plus charlatan-base when
# BASELINE_JAR is given) are the servers of those rows.
# Needs wrk and nginx (installed with apt-get when missing and this runs as root), Node and npm
# (scripts/install-mountebank.sh), a JDK and Maven. Environment: ROUNDS (3), SECONDS_PER_RUN (10),
# BENCH_MVN_ARGS (e.g. -o), SERVERS (which to run, default all), BASELINE_JAR (a standalone jar
# of an older build, run as server charlatan-base with the launcher of BASELINE_REV, default
# 080ae69, and CHARLATAN_WARMUP=BASELINE_WARMUP, default on), LOGLEVEL (warn). Server
# charlatan-ready-info (not in the default SERVERS) is charlatan-ready at `--loglevel info`.
# LOGLEVEL is the `--loglevel` of our servers and Mountebank. The goal's figures are for servers
# that are quiet, as nginx with its access log off: `warn` (the imposters benchmark's "quiet"),
# so no line per request. `info`, their default, adds a line per request to the console (sessions
# 13-16 ran this script at info; it costs about a tenth of the kept-alive req/s, bench/imposters.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${ROUNDS:-3}"
seconds="${SECONDS_PER_RUN:-10}"
loglevel="${LOGLEVEL:-warn}"
require_tool wrk
require_tool nginx
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
bash scripts/install-mountebank.sh
mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -pl imposters -am package -DskipTests -Djacoco.skip=true

work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
csv="$root/bench/target/imposters-nginx.csv"
mkdir -p "$root/bench/target"
echo "round,server,connection,run,req_per_s,p99_ms,load,start_ms" > "$csv"
kinds="${KINDS:-http inject tcp}"

# A tcp load like wrk's: 32 connections, each on its own thread, sending `ping` and reading the
# answer, over one kept connection or a new one per request; prints requests/s.
cat > "$work/TcpLoad.java" <<'JAVA'
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.LongAdder;

public class TcpLoad {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean keep = args[1].equals("keep-alive");
    long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
    LongAdder done = new LongAdder();
    Thread[] threads = new Thread[32];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        byte[] ping = "ping".getBytes();
        byte[] buffer = new byte[64];
        Socket socket = null;
        try {
          while (System.nanoTime() < end) {
            if (socket == null) {
              socket = new Socket("127.0.0.1", port);
              socket.setTcpNoDelay(true);
            }
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ping);
            if (in.read(buffer) <= 0) { socket.close(); socket = null; continue; }
            done.increment();
            if (!keep) { socket.close(); socket = null; }
          }
          if (socket != null) { socket.close(); }
        } catch (Exception e) {
          System.err.println("tcp load: a client thread stopped early: " + e);
        }
      });
      threads[t].start();
    }
    long start = System.nanoTime();
    for (Thread thread : threads) { thread.join(); }
    System.out.printf("Requests/sec: %.2f%n", done.sum() / ((System.nanoTime() - start) / 1e9));
  }
}
JAVA


servers="${SERVERS:-charlatan-epoll charlatan-ready charlatan-nio nginx-1 nginx-2 mountebank}"
if [[ -n "${BASELINE_JAR:-}" ]]; then
  mkdir -p "$work/base"
  cp "$BASELINE_JAR" "$work/base/charlatan-imposters-base-standalone.jar"
  git show "${BASELINE_REV:-080ae69}:imposters/bin/mb" > "$work/base/mb"
  [[ " $servers " == *" charlatan-base "* ]] || servers="charlatan-base $servers"
fi

start_server() { # name api_port imposter_port connection kind -> pid in $pid
  local name="$1" api="$2" port="$3" connection="$4" kind="${5:-http}" headers="" inject_headers=""
  local level="$loglevel"
  [[ "$name" == charlatan-ready-info ]] && level=info
  local flags=(--loglevel "$level")
  if [[ "$connection" == keep-alive ]]; then
    headers=',"headers":{"Connection":"keep-alive"}'
    inject_headers="headers: { Connection: 'keep-alive' }, "
  fi
  [[ "$kind" == inject ]] && flags+=(--allowInjection)
  spawned=$(date +%s%N)
  started_ms=""
  case "$name" in
    charlatan-epoll | charlatan-nio | charlatan-ready | charlatan-ready-info)
      local transport="${name#charlatan-}" warmup=on
      if [[ "$name" == charlatan-ready* ]]; then transport=epoll; warmup=ready; fi
      CHARLATAN_JAVA_OPTS="-Dcharlatan.transport=$transport" CHARLATAN_CDS_DIR="$work/cds" \
        CHARLATAN_WARMUP="$warmup" bash imposters/bin/mb --port "$api" --nologfile --pidfile "$work/$name.pid" ${flags[@]+"${flags[@]}"} >/dev/null 2>&1 &
      pid=$!
      ;;
    charlatan-base)
      CHARLATAN_CDS_DIR="$work/cds" CHARLATAN_WARMUP="${BASELINE_WARMUP:-on}" \
        bash "$work/base/mb" --port "$api" --nologfile --pidfile "$work/$name.pid" ${flags[@]+"${flags[@]}"} >/dev/null 2>&1 &
      pid=$!
      ;;
    mountebank)
      node .mountebank/node_modules/mountebank/bin/mb --port "$api" --nologfile \
        --pidfile "$work/mb.pid" ${flags[@]+"${flags[@]}"} >/dev/null 2>&1 &
      pid=$!
      ;;
    nginx-1 | nginx-2)
      cat > "$work/$name.conf" <<CONF
worker_processes ${name#nginx-};
daemon off;
pid $work/$name.nginx.pid;
error_log /dev/null;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$port; location / { return 200 'ok'; } }
}
CONF
      "$nginx_bin" -c "$work/$name.conf" -e /dev/null &
      pid=$!
      wait_port "$port"
      return
      ;;
  esac
  wait_port "$api"
  started_ms=$(( ($(date +%s%N) - spawned) / 1000000 ))
  local imposter
  case "$kind" in
    http) imposter="{\"protocol\":\"http\",\"port\":$port,\"stubs\":[{\"responses\":[{\"is\":{\"statusCode\":200,\"body\":\"ok\"$headers}}]}]}" ;;
    inject) imposter="{\"protocol\":\"http\",\"port\":$port,\"stubs\":[{\"responses\":[{\"inject\":\"config => ({ statusCode: 200, ${inject_headers}body: 'ok' })\"}]}]}" ;;
    tcp) imposter="{\"protocol\":\"tcp\",\"port\":$port,\"stubs\":[{\"responses\":[{\"is\":{\"data\":\"pong\"}}]}]}" ;;
  esac
  curl -s -o /dev/null -X POST "http://127.0.0.1:$api/imposters" -H 'Content-Type: application/json' -d "$imposter"
  wait_port "$port"
}

measure() { # round server connection run port kind
  local out
  if [[ "${6:-http}" == tcp ]]; then
    out="$(java "$work/TcpLoad.java" "$5" "$3" "$seconds" 2>&1)"
  elif [[ "$3" == close ]]; then
    out="$(wrk -t2 -c32 -d"${seconds}s" --latency -H 'Connection: close' "http://127.0.0.1:$5/" 2>&1)"
  else
    out="$(wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$5/" 2>&1)"
  fi
  local rps p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")"
  echo "$1,$2,$3,$4,$rps,$p99,$(cut -d' ' -f1 /proc/loadavg),$started_ms" >> "$csv"
  echo "round $1 $2 $3 run $4: $rps req/s, p99 $p99 ms" >&2
}

# One start first: our server writes its class archive, every server warms the disk cache.
for server in $servers; do
  [[ "$server" == charlatan-* ]] || continue
  api="$(free_port)"; port="$(free_port)"
  start_server "$server" "$api" "$port" close; kill "$pid"; wait "$pid" 2>/dev/null || true
done

extra="${SERVERS_EXTRA:-charlatan-epoll mountebank}"
if [[ -n "${BASELINE_JAR:-}" && " $extra " != *" charlatan-base "* ]]; then
  extra="charlatan-base $extra"
fi
rows=""
for kind in $kinds; do
  if [[ "$kind" == http ]]; then list="$servers"; else list="$extra"; fi
  for server in $list; do
    if [[ "$kind" == http ]]; then rows="$rows $server"; else rows="$rows $server/$kind"; fi
  done
done
for round in $(seq 1 "$rounds"); do
  for kind in $kinds; do
    if [[ "$kind" == http ]]; then list="$servers"; else list="$extra"; fi
    for server in $list; do
      label="$server"; [[ "$kind" == http ]] || label="$server/$kind"
      for connection in keep-alive close; do
        api="$(free_port)"; port="$(free_port)"
        start_server "$server" "$api" "$port" "$connection" "$kind"
        echo "round $round $label $connection: started, $(uptime)" >&2
        measure "$round" "$label" "$connection" first "$port" "$kind"
        measure "$round" "$label" "$connection" second "$port" "$kind"
        kill "$pid"; wait "$pid" 2>/dev/null || true
      done
    done
  done
done

python3 - "$csv" $rows <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
servers = sys.argv[2:]
print("| server | keep-alive, first run | keep-alive, second | close, first | close, second |")
print("|---|---:|---:|---:|---:|")
med = {}
for s in servers:
    cells = []
    for c in ["keep-alive", "close"]:
        for r in ["first", "second"]:
            v = [float(x["req_per_s"]) for x in rows if x["server"] == s and x["connection"] == c and x["run"] == r]
            med[(s, c, r)] = statistics.median(v) if v else float("nan")
            cells.append(f"{med[(s, c, r)]:,.0f}")
    print(f"| {s} | " + " | ".join(cells) + " |")
print()
if "nginx-2" in servers:
    for s in [s for s in servers if s.startswith("charlatan") and "/" not in s]:
        for c in ["keep-alive", "close"]:
            for r in ["first", "second"]:
                print(f"- {c}, {r} run: {s} / nginx-2 = {med[(s, c, r)] / med[('nginx-2', c, r)]:.2f}")
print()
for s in servers:
    starts = sorted({(x["round"], x["connection"], x["start_ms"]) for x in rows if x["server"] == s and x["start_ms"]})
    if starts:
        print(f"- {s}: spawn to API ready, median {statistics.median(float(v[2]) for v in starts):,.0f} ms over {len(starts)} starts")
print(f"\nLoad average at the end: {open('/proc/loadavg').read().strip()}")
PY
