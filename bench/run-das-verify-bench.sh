#!/usr/bin/env bash
# The das module's `mvn clean verify`, a baseline checkout and this one alternately (issue 15,
# benchmark b). Usage: bench/run-das-verify-bench.sh BASELINE_DIR [ROUNDS] [extra Maven args...]
# BASELINE_DIR is a worktree of the commit to compare (git worktree add --detach DIR COMMIT).
# Prints per run: wall time, the 1-minute load at the start, and each phase's start time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
baseline="$1"
rounds="${2:-2}"
shift $(( $# >= 2 ? 2 : 1 ))
ts=(-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
for round in $(seq 1 "$rounds"); do
  for tree in "$baseline" "$root"; do
    log="$(mktemp -t das-verify-XXXX.log)"
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    rc=0
    (cd "$tree" && mvn -B -o -pl das clean verify "${ts[@]}" "$@" > "$log" 2>&1) || rc=$?
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    phases=""
    for phase in "compiler-plugin:[0-9.]*:compile" "testCompile" "test (default-test)" \
        "fuzz-tests" "integration-test" "spotless-maven-plugin"; do
      phases+=" $(grep -m1 -- "--- .*$phase" "$log" | cut -c1-12)"
    done
    echo "$tree round $round: rc=$rc load=$load wall=${wall}s phases:$phases log=$log"
  done
done
