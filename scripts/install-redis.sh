#!/usr/bin/env bash
# Installs the machine's current Redis (Debian's redis-server, 7.0 on Debian 12) with apt-get, so
# that the Redis-dependent tests run on it as well as on the bundled Redis 6.2 (CI runs both:
# .ci/run). Idempotent and quick when a redis-server 7+ is already on PATH. It does not leave the
# distribution's own daemon running: the tests start their own servers on free ports.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 \
    && redis-server --version | grep -Eq 'v=([7-9]|[1-9][0-9])\.'; then
  exit 0
fi
sudo=""
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-redis: run as root or install sudo (apt-get install redis-server needs root)" >&2
    exit 1
  fi
  sudo="sudo"
fi
echo "install-redis: apt-get install redis-server" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -q redis-server >&2 || {
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q redis-server >&2
}
# The package starts its daemon where an init system lets it; the tests do not use it.
$sudo service redis-server stop >/dev/null 2>&1 || true
redis-server --version >&2
