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

mvn -B -q deploy -DskipTests -DaltDeploymentRepository="local::file://$repo" "$@"

base="$repo/io/charlatan"
echo "Deployed to $repo (version $version):"
(cd "$repo" && find . -type f \( -name '*.jar' -o -name '*.pom' \) | sort | sed 's|^\./|  |')

missing=0
expect() {
  if ! ls "$1" >/dev/null 2>&1; then
    echo "MISSING: ${1#"$repo"/}" >&2
    missing=1
  fi
}
for module in process imposters backing contract junit; do
  dir="$base/charlatan-$module/$version"
  for suffix in .jar -sources.jar -javadoc.jar .pom; do
    expect "$dir/charlatan-$module-*$suffix"
  done
done
expect "$base/charlatan-parent/$version/charlatan-parent-*.pom"
expect "$base/charlatan-bom/$version/charlatan-bom-*.pom"
for module in das sandbox bench; do
  if [ -e "$base/charlatan-$module" ]; then
    echo "PUBLISHED BY MISTAKE: io.charlatan:charlatan-$module" >&2
    missing=1
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "Not publishable." >&2
  exit 1
fi
echo "Publishable: jar, sources, Javadoc and POM for process, imposters, backing, contract and junit; parent and BOM POMs; nothing else."
