#!/usr/bin/env bash
# Runs each example's own build, `mvn -B verify`, against the Charlatan installed in the local
# Maven repository. Install it first, from the repository root:
#   mvn -B install -DskipTests
# Arguments go to every mvn call, e.g. examples/run.sh -o -Dmaven.repo.local=/tmp/m2;
# MAVEN_OPTS is honoured, as by any mvn call. Stops at the first example that fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for example in "$here"/*/; do
  [[ -f "$example/pom.xml" ]] || continue
  name="$(basename "$example")"
  echo "== examples/$name: mvn -B verify $*"
  (cd "$example" && mvn -B verify "$@")
  echo "== examples/$name: passed"
done
