#!/usr/bin/env bash
# Installs the reference Mountebank (npm package mountebank@2.9.1) into .mountebank/ at the
# repository root, for the differential tests of the imposters module. Idempotent and quick when
# already installed. Without npm it says so and exits 0: those tests then skip locally, and fail
# on CI (where CHARLATAN_REQUIRE_MOUNTEBANK=true).
set -euo pipefail

version="2.9.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/.mountebank"
installed="$target/node_modules/mountebank/package.json"

if [[ -f "$installed" ]] && grep -q "\"version\": \"$version\"" "$installed"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "install-mountebank: node/npm not found; the tests against real Mountebank $version will be skipped" >&2
  exit 0
fi
echo "install-mountebank: installing mountebank@$version into $target" >&2
mkdir -p "$target"
npm install --prefix "$target" --no-audit --no-fund --loglevel=error "mountebank@$version" >&2
