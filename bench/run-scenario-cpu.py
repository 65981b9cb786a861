#!/usr/bin/env python3
"""CPU spent by the processes of DAS's eight-scenario session (issue 15, benchmark a).

Runs `mvn -o -pl das test -Dtest=DasScenariosServiceTest` (extra Maven arguments are passed on),
samples /proc every 20 ms for the Surefire test JVM and the DAS process (processes whose working
directory is under this checkout), and prints, for the class's window (from Surefire's "Running"
line to its "Tests run" line): the wall time, the test JVM's CPU and DAS's. (Redis, 0.02 s, runs
in a directory of its own and is left out.)
CPU is what two cores must share: half the sum is the least wall time any scheduling could reach.
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
        kind = ("test JVM" if "surefirebooter" in cmd else
                "DAS" if "io.charlatan.das.Main" in cmd or "das.jar" in cmd else None)
        if kind:
            fields = stat[stat.rindex(")") + 2:].split()
            seen[pid] = (kind, (int(fields[11]) + int(fields[12])) / HZ)
    return seen


def at(series, moment):
    return next((seen for now, seen in series if now >= moment), series[-1][1])


def main():
    log_path = "/tmp/scenario-cpu.log"
    ts = ["-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"]
    cmd = ["mvn", "-B", "-o", "-pl", "das", "test", f"-Dtest={CLASS}", *ts, *sys.argv[1:]]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        series, last = [], {}
        while proc.poll() is None:
            seen = sample()
            last.update(seen)
            series.append((time.time(), seen))
            time.sleep(0.02)
    text = open(log_path).read()
    day = datetime.datetime.now(datetime.timezone.utc).date().isoformat()

    def moment(pattern):
        found = re.search(r"(\d\d:\d\d:\d\d\.\d\d\d) \[INFO\] " + pattern, text)
        if not found:
            sys.exit(f"no '{pattern}' in {log_path}: did the test run?")
        return datetime.datetime.fromisoformat(f"{day}T{found.group(1)}+00:00").timestamp()

    begin, end = moment(f"Running .*{CLASS}"), moment(f"Tests run: .*{CLASS}")
    before, after = at(series, begin), at(series, end)
    cpu = {}
    for pid, (kind, total) in last.items():
        start = before.get(pid, (kind, 0.0))[1]
        # DAS stops inside the window: its last sample is its total.
        finish = after.get(pid, (kind, total))[1] if kind == "test JVM" else total
        if kind != "test JVM" or pid in before:
            cpu[kind] = cpu.get(kind, 0.0) + finish - start
    load = open("/proc/loadavg").read().split()[0]
    print(f"class window {end - begin:.2f} s (load {load}): " +
          ", ".join(f"{kind} {seconds:.2f} s CPU" for kind, seconds in sorted(cpu.items())) +
          f"; half the sum {sum(cpu.values()) / 2:.2f} s")


if __name__ == "__main__":
    main()
