#!/usr/bin/env bash
# Installs (idempotently) headless Chromium from Debian's packages, for the test that opens the
# delivery-metrics HTML page (__tests__/e2e/metrics-cli.test.ts). Safe to run repeatedly and
# concurrently (apt's own lock, waited for); does nothing when chromium is on PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(command -v chromium)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [[ "$(id -u)" != "0" ]]; then
  echo "chromium.sh: chromium is needed by the metrics page test; install it (apt-get install -y chromium) and re-run" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@"; }
if ! apt_get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  apt_get update -qq >/dev/null
  apt_get install -y -qq --no-install-recommends chromium >/dev/null
fi
chromium --version
