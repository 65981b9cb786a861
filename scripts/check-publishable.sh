#!/usr/bin/env bash
# Checks that the build's layout is publishable: deploys every module into a throw-away file
# repository (mvn -B deploy -DskipTests), lists what got there, and fails if a library module
# lacks its jar, sources, Javadoc or POM, if the BOM is missing, or if a module that must not be
# published (das, sandbox, bench) was deployed.
#
# Usage: scripts/check-publishable.sh [extra Maven arguments, e.g. -o or -Dmaven.repo.local=...]
set -euo pipefail
cd "$(dirname "$0")/.."

repo="$(mktemp -d)"
trap 'rm -rf "$repo"' EXIT
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"

mvn -B -q deploy -DskipTests -DaltDeploymentRepository="publish-check::file://$repo" "$@"

echo "Deployed to $repo (version $version):"
(cd "$repo" && find . -type f \( -name '*.jar' -o -name '*.pom' \) | sort | sed 's|^\./|  |')

# Deployed names: <artifact>-<version or snapshot timestamp>[-<classifier>].<ext>
files="$(cd "$repo" && find . -type f -printf '%f\n')"
stamp='[0-9.]+(-SNAPSHOT|-[0-9]{8}\.[0-9]{6}-[0-9]+)?'
missing=0
expect() { # artifact, classifier suffix (or empty), extension
  if ! grep -Eq "^$1-$stamp$2\.$3\$" <<<"$files"; then
    echo "MISSING: io.charlatan:$1 ${2:+(${2#-}) }.$3" >&2
    missing=1
  fi
}
for module in process imposters backing contract junit; do
  expect "charlatan-$module" "" jar
  expect "charlatan-$module" -sources jar
  expect "charlatan-$module" -javadoc jar
  expect "charlatan-$module" "" pom
done
expect charlatan-parent "" pom
expect charlatan-bom "" pom
for module in das sandbox bench; do
  if [ -e "$repo/io/charlatan/charlatan-$module" ]; then
    echo "PUBLISHED BY MISTAKE: io.charlatan:charlatan-$module" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "Not publishable." >&2
  exit 1
fi
echo "Publishable: jar, sources, Javadoc and POM for process, imposters, backing, contract and junit; parent and BOM POMs; nothing else."
