#!/usr/bin/env bash
# Fails when package-lock.json is not the lock file `npm install` writes for package.json: a newcomer's
# first `npm install` must leave the clone clean, and `npm ci` installs exactly what the lock lists.
# `npm install --package-lock-only` resolves from the registry without touching node_modules (a few
# seconds); the lock is compared with itself before and after, so uncommitted deliberate edits are fine.
# After a failure the rewritten lock is left in place: review it and commit it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

before="$(mktemp)"
trap 'rm -f "$before"' EXIT
cp package-lock.json "$before"
npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
if ! cmp -s "$before" package-lock.json; then
  diff -u "$before" package-lock.json | head -n 40 >&2 || true
  echo "check-lock.sh: package-lock.json is not what npm install writes for package.json: run npm install --no-audit --no-fund and commit package-lock.json" >&2
  exit 1
fi
echo "package-lock.json is what npm install writes."
