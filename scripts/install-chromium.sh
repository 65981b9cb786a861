#!/usr/bin/env bash
# Installs Debian's Chromium and its chromedriver, for the imposters module's browser tests
# (WebUiBrowserTest drives the web page through Selenium). Idempotent and quick when both are
# there. Needs root (or sudo) and apt-get; without them it says so and exits 0: the browser tests
# then skip locally, and fail on CI (where CHARLATAN_REQUIRE_BROWSER=true).
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install chromium and chromedriver by hand, or the browser tests will be skipped" >&2
  exit 0
fi
sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "install-chromium: not root and no sudo; run 'apt-get install chromium chromium-driver' as root, or the browser tests will be skipped" >&2
    exit 0
  fi
fi
echo "install-chromium: installing chromium and chromium-driver with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq chromium chromium-driver >&2
