#!/usr/bin/env python3
"""Slow clients against DAS: /healthz answer times while 200 connections trickle partial heads.

Report: bench/das-server.md. Usage:
  bench/run-das-slow-clients-bench.py NEW/das.jar [OLD/das.jar ...]
Each jar in turn (in the order given): a Redis of its own (redis-server from PATH), a UAA
stand-in serving a fresh RSA key (openssl), DAS as `java -jar` with its defaults but those
variables; then 20 probes of /healthz alone, then 200 connections that each send a partial head
and one more header byte a second for 20 s, /healthz probed every 0.5 s meanwhile (each probe on a
new connection, waiting up to 30 s); then the slow clients close.. Prints one Markdown row per jar.
"""
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SLOW = int(os.environ.get("BENCH_SLOW_CLIENTS", "200"))
SECONDS = int(os.environ.get("BENCH_SLOW_SECONDS", "20"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def token_server(pem):
    body = json.dumps({"value": pem}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def probe(port, timeout=30.0):
    """Seconds until /healthz is answered on a new connection, or None if not within timeout."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: das\r\nConnection: close\r\n\r\n")
            data = s.recv(64)
            if not data.startswith(b"HTTP/1.1 200"):
                return None
    except OSError:
        return None
    return time.monotonic() - start


def run(jar, pem_server, workdir):
    redis_port, das_port = free_port(), free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, cwd=workdir)
    env = dict(os.environ)
    env.update({
        "PORT": str(das_port),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}",
        "DOWNLOADER_URL": "http://127.0.0.1:9",
        "METADATA_PARSER_URL": "http://127.0.0.1:9",
        "USER_MANAGEMENT_URL": "http://127.0.0.1:9",
        "TOKEN_KEY_URL": f"http://127.0.0.1:{pem_server.server_port}/token_key",
        "SELF_URL": "http://das.example",
    })
    das = subprocess.Popen(["java", "-jar", jar], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    try:
        for line in das.stdout:
            if "DAS ready" in line:
                break
        threading.Thread(target=lambda: [None for _ in das.stdout], daemon=True).start()
        quiet = [probe(das_port) for _ in range(20)]
        slow = []
        for _ in range(SLOW):
            s = socket.create_connection(("127.0.0.1", das_port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: das\r\nX-Slow: ")
            slow.append(s)
        answers = []
        probes = []
        end = time.monotonic() + SECONDS
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                for s in slow:
                    try:
                        s.sendall(b"a")
                    except OSError:
                        pass
                stop.wait(1.0)

        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        while time.monotonic() < end:
            p = threading.Thread(target=lambda: answers.append(probe(das_port)))
            p.start()
            probes.append(p)
            time.sleep(0.5)
        stop.set()
        t.join()
        # Slow connections DAS closed by now (a 408 sent, or closed): something to read.
        cut = 0
        for s in slow:
            s.setblocking(False)
            try:
                s.recv(16)
                cut += 1
            except OSError:
                pass
        # The slow clients go away; probes still waiting are answered then (or time out).
        for s in slow:
            s.close()
        for p in probes:
            p.join()
        return quiet, answers, cut
    finally:
        das.terminate()
        das.wait()
        redis.terminate()
        redis.wait()


def ms(values):
    got = [v * 1000 for v in values if v is not None]
    if not got:
        return "none answered"
    return (f"{statistics.median(got):.1f} / {max(got):.1f}")


def main():
    jars = sys.argv[1:]
    with tempfile.TemporaryDirectory() as workdir:
        key = os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True,
                       stderr=subprocess.DEVNULL)
        pem = subprocess.run(["openssl", "rsa", "-in", key, "-pubout"], check=True,
                             capture_output=True, text=True).stdout.strip()
        server = token_server(pem)
        print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        print()
        print(f"| jar | /healthz alone, ms (median / max of 20) | /healthz with {SLOW} slow clients, ms"
              " (median / max) | probes answered | slow connections closed by DAS |")
        print("|---|---:|---:|---:|---:|")
        for jar in jars:
            quiet, answers, cut = run(jar, server, workdir)
            answered = sum(1 for a in answers if a is not None)
            print(f"| {jar} | {ms(quiet)} | {ms(answers)} | {answered} of {len(answers)} | {cut} of {SLOW} |")
            sys.stdout.flush()
        print()
        print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        server.shutdown()


if __name__ == "__main__":
    main()
