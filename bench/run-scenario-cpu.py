#!/usr/bin/env python3
"""DAS's eight-scenario session (issue 15, benchmark a): its times and the CPU of its processes.

Runs `mvn -o -pl das test -Dtest=DasScenariosServiceTest` (extra Maven arguments are passed on),
samples /proc every 20 ms for the Surefire test JVM and the DAS process (processes whose working
directory is under this checkout), and prints: Maven's wall time; the class's time as JUnit
reports it; set-up to teardown (from Surefire's "Running" line to the imposters' last "Ciao for
now", after DAS stopped); and, for the class's window (from "Running" to its "Tests run" line), the
test JVM's CPU and DAS's. (Redis, 0.02 s, runs in a directory of its own and is left out.)
CPU is what two cores must share: half the sum is the least wall time any scheduling could reach.

THREADS=1: also each thread's CPU in the window (by name, summed over threads of the same name).
TIMELINE=1: also both processes' CPU every 20 ms and the log's lines, on one clock from the class's
start: where the critical path waits.
"""
import datetime
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HZ = os.sysconf("SC_CLK_TCK")
CLASS = "DasScenariosServiceTest"


def sample():
    seen = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if not os.readlink(f"/proc/{pid}/cwd").startswith(ROOT):
                continue
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        kind = ("test JVM" if "surefirebooter" in cmd or "ForkedBooter" in cmd else
                "DAS" if "io.charlatan.das.Main" in cmd or "das.jar" in cmd else None)
        if kind:
            fields = stat[stat.rindex(")") + 2:].split()
            seen[pid] = (kind, (int(fields[11]) + int(fields[12])) / HZ)
            if os.environ.get("THREADS"):
                for tid in os.listdir(f"/proc/{pid}/task"):
                    try:
                        st = open(f"/proc/{pid}/task/{tid}/stat").read()
                    except OSError:
                        continue
                    name = st[st.index("(") + 1:st.rindex(")")]
                    f = st[st.rindex(")") + 2:].split()
                    seen[f"{pid}/{tid}"] = (kind + ":" + name, (int(f[11]) + int(f[12])) / HZ)
    return seen


def at(series, moment):
    return next((seen for now, seen in series if now >= moment), series[-1][1])


def main():
    log_path = "/tmp/scenario-cpu.log"
    ts = ["-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"]
    cmd = ["mvn", "-B", "-o", "-pl", "das", "test", f"-Dtest={CLASS}", *ts, *sys.argv[1:]]
    started = time.time()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        series, last = [], {}
        while proc.poll() is None:
            seen = sample()
            last.update(seen)
            series.append((time.time(), seen))
            time.sleep(0.02)
    wall = time.time() - started
    text = open(log_path).read()
    day = datetime.datetime.now(datetime.timezone.utc).date().isoformat()

    def moment(pattern):
        found = re.search(r"(\d\d:\d\d:\d\d\.\d\d\d) \[INFO\] " + pattern, text)
        if not found:
            sys.exit(f"no '{pattern}' in {log_path}: did the test run?")
        return datetime.datetime.fromisoformat(f"{day}T{found.group(1)}+00:00").timestamp()

    begin, end = moment(f"Running .*{CLASS}"), moment(f"Tests run: .*{CLASS}")
    junit = float(re.search(r"Time elapsed: ([0-9.]+) s -- in .*" + CLASS, text).group(1))
    # The session's teardown ends with the imposters' "Ciao for now" (after DAS stopped).
    closed = [datetime.datetime.fromisoformat(f"{day}T{m.group(1)}+00:00").timestamp()
              for m in re.finditer(r"(\d\d:\d\d:\d\d\.\d\d\d) \[[^\]]+\] .*Ciao for now", text)]
    teardown = max(closed) - begin if closed else float("nan")
    before, after = at(series, begin), at(series, end)
    cpu, threads = {}, {}
    for pid, (kind, total) in last.items():
        start = before.get(pid, (kind, 0.0))[1]
        # DAS stops inside the window: its last sample is its total.
        finish = after.get(pid, (kind, total))[1] if kind == "test JVM" else total
        if "/" in pid:
            if pid.split("/")[0] in before or kind.startswith("DAS"):
                start = before.get(pid, (kind, 0.0))[1]
                finish = after.get(pid, (kind, total))[1]
                threads[kind] = threads.get(kind, 0.0) + finish - start
            continue
        if kind != "test JVM" or pid in before:
            cpu[kind] = cpu.get(kind, 0.0) + finish - start
    load = open("/proc/loadavg").read().split()[0]
    print(f"mvn {wall:.2f} s, JUnit {junit:.3f} s, set-up to teardown {teardown:.2f} s; "
          f"class window {end - begin:.2f} s (load {load}): " +
          ", ".join(f"{kind} {seconds:.2f} s CPU" for kind, seconds in sorted(cpu.items())) +
          f"; half the sum {sum(cpu.values()) / 2:.2f} s")
    for name, seconds in sorted(threads.items(), key=lambda item: -item[1])[:25]:
        print(f"  {seconds:5.2f} {name}")
    if os.environ.get("TIMELINE"):
        events = []
        for m in re.finditer(r"(\d\d:\d\d:\d\d\.\d\d\d) \[([^\]]+)\] (.{0,90})", text):
            t = datetime.datetime.fromisoformat(f"{day}T{m.group(1)}+00:00").timestamp()
            if begin - 0.05 <= t <= end + 0.5:
                events.append((t, m.group(2) + " " + m.group(3)))
        for now, seen in series:
            if begin - 0.05 <= now <= end + 0.5:
                tj = sum(c for k, c in seen.values() if k == "test JVM")
                ds = sum(c for k, c in seen.values() if k == "DAS")
                print(f"{now - begin:6.2f} testJVM {tj:6.2f} DAS {ds:5.2f}")
        for t, e in events:
            print(f"{t - begin:6.2f} EVENT {e}")


if __name__ == "__main__":
    main()
