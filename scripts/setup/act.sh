#!/usr/bin/env bash
# Installs (idempotently) nektos/act, which runs the workflow files themselves in the workflow tests
# (__tests__/workflows): <repo>/.tools/bin/act, built with `go install` from the Go module proxy (pinned).
# Host mode (-P ubuntu-latest=-self-hosted) needs no container engine.
set -euo pipefail

ACT_VERSION="v0.2.89"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$ROOT/.tools/bin"
STAMP="$BIN/.act-$ACT_VERSION"

mkdir -p "$BIN"
exec 9>"$ROOT/.tools/act.lock"
flock 9

if [[ -f "$STAMP" && -x "$BIN/act" ]]; then
  echo "act $ACT_VERSION already installed in $BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "act.sh: go is required to build act (apt-get install -y golang-go)" >&2
  exit 1
fi
GOBIN="$BIN" go install "github.com/nektos/act@$ACT_VERSION"
"$BIN/act" --version >/dev/null
rm -f "$BIN"/.act-*
touch "$STAMP"
echo "act $ACT_VERSION installed in $BIN"
