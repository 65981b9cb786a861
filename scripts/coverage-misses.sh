#!/usr/bin/env bash
# Prints, for every module's JaCoCo report, the lines and branches the tests did not run, so that a
# failed coverage gate in a CI log says which code was missed (the gate itself only prints ratios).
# Usage: scripts/coverage-misses.sh [MODULE...]   (default: every module with a report)
set -uo pipefail
cd "$(dirname "$0")/.."
reports=()
if [ $# -gt 0 ]; then
  for m in "$@"; do reports+=("$m/target/site/jacoco/jacoco.xml"); done
else
  for r in */target/site/jacoco/jacoco.xml; do [ -f "$r" ] && reports+=("$r"); done
fi
[ ${#reports[@]} -gt 0 ] || { echo "no JaCoCo report found (run mvn verify first)"; exit 0; }
python3 - "${reports[@]}" <<'PY'
import sys
import xml.etree.ElementTree as ET

for report in sys.argv[1:]:
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"{report}: cannot read ({e})")
        continue
    misses = []
    for package in root.iter("package"):
        for source in package.iter("sourcefile"):
            for line in source.iter("line"):
                ci, mi = int(line.get("ci")), int(line.get("mi"))
                cb, mb = int(line.get("cb")), int(line.get("mb"))
                if (mi and not ci) or mb:
                    what = "line not run" if mi and not ci else f"{mb} of {mb + cb} branches missed"
                    misses.append(f"  {package.get('name')}/{source.get('name')}:{line.get('nr')}: {what}")
    print(f"{report}: {len(misses)} missed" + (":" if misses else ""))
    print("\n".join(misses))
PY
